package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import io.mailgate.parse.MimeWalker.Kind;
import io.mailgate.parse.MimeWalker.Leaf;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Parses raw RFC 5322 messages stored in files into {@link ParsedEmail}.
 *
 * <p>The file is read through a {@link SharedFileInputStream}, so Jakarta Mail keeps only positions
 * and every part's content is streamed from the file when needed: a 100 MB message never sits in the
 * heap. Only the text bodies (bounded by {@link ParseLimits#maxTextChars()}) and the header values are
 * held as strings. Thread-safe: one instance may serve every route.
 */
public final class MimeParser {

    private final ParseLimits limits;
    private final Session session;

    public MimeParser(ParseLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        Properties properties = new Properties();
        // Our own Session, never the JVM-wide default one that other code may configure.
        this.session = Session.getInstance(properties);
    }

    /** Parses raw RFC 5322 bytes stored in a file. Streams: never holds the whole message or an attachment in memory. */
    public ParsedEmail parse(Path rawFile) throws MalformedEmailException {
        try {
            return doParse(rawFile);
        } catch (IOException e) {
            throw new MalformedEmailException(Reason.UNREADABLE, "cannot read " + rawFile.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Jakarta Mail is not written for hostile input; whatever slips through is a bad message, not a crash.
            throw new MalformedEmailException(Reason.UNREADABLE, "unexpected failure while parsing: " + e, e);
        }
    }

    /**
     * Copies the decoded bytes of attachment {@code index} (as numbered in {@link ParsedEmail#attachments()}) to out.
     *
     * @throws IndexOutOfBoundsException if the message has no attachment with that index
     * @throws IOException               if reading the file or writing to {@code out} fails
     */
    public void copyAttachment(Path rawFile, int index, OutputStream out) throws MalformedEmailException, IOException {
        Objects.requireNonNull(out, "out");
        try (Opened opened = open(rawFile)) {
            int seen = 0;
            for (Leaf leaf : new MimeWalker(limits).walk(opened.message(), opened.headers())) {
                if (leaf.kind() != Kind.ATTACHMENT || seen++ != index) {
                    continue;
                }
                DecodedBudget budget = new DecodedBudget(limits.maxDecodedBytes());
                try (InputStream in = budget.meter(PartContent.open(leaf.part(), leaf.info()))) {
                    byte[] buffer = new byte[64 * 1024];
                    while (true) {
                        int n;
                        try {
                            n = in.read(buffer);
                        } catch (DecodedBudget.ExceededException e) {
                            throw e.toMalformed();
                        } catch (IOException e) {
                            throw new MalformedEmailException(Reason.UNREADABLE,
                                    "cannot decode attachment " + index + ": " + e.getMessage(), e);
                        }
                        if (n < 0) {
                            return;
                        }
                        out.write(buffer, 0, n); // errors writing are the caller's, so they stay IOExceptions
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new MalformedEmailException(Reason.UNREADABLE, "unexpected failure while parsing: " + e, e);
        }
        throw new IndexOutOfBoundsException("no attachment with index " + index);
    }

    private ParsedEmail doParse(Path rawFile) throws MalformedEmailException, IOException {
        try (Opened opened = open(rawFile)) {
            HeaderBlock headers = opened.headers();
            ContentFingerprint.Result fingerprint = ContentFingerprint.compute(headers, rawFile);
            List<Leaf> leaves = new MimeWalker(limits).walk(opened.message(), headers);

            LeafContents.Result contents = LeafContents.read(leaves, limits);

            String subject = EncodedWords.decode(headers.first("Subject"));
            List<EmailAddress> from = EnvelopeFields.addresses(headers.all("From"));
            List<EmailAddress> to = EnvelopeFields.addresses(headers.all("To"));
            List<EmailAddress> cc = EnvelopeFields.addresses(headers.all("Cc"));
            List<EmailAddress> replyTo = EnvelopeFields.addresses(headers.all("Reply-To"));

            ArtifactExtractor artifacts = new ArtifactExtractor();
            artifacts.addresses("From", from);
            artifacts.addresses("To", to);
            artifacts.addresses("Cc", cc);
            artifacts.addresses("Reply-To", replyTo);
            artifacts.text("subject", subject);
            artifacts.text("textBody", contents.textBody());
            artifacts.html("htmlBody", contents.htmlBody());
            for (int i = 0; i < contents.attachments().size(); i++) {
                artifacts.attachment(contents.attachments().get(i), contents.namedByMessage().get(i));
            }

            return new ParsedEmail(
                    EnvelopeFields.firstMessageId(headers.first("Message-ID")),
                    EnvelopeFields.firstMessageId(headers.first("In-Reply-To")),
                    EnvelopeFields.messageIds(String.join(" ", headers.all("References"))),
                    subject,
                    from.isEmpty() ? null : from.get(0),
                    to, cc, replyTo,
                    EnvelopeFields.date(headers.first("Date")),
                    headers.headers(),
                    contents.textBody(), contents.htmlBody(),
                    contents.attachments(),
                    artifacts.artifacts(),
                    fingerprint.fingerprint(),
                    contents.truncated() || artifacts.capped(),
                    fingerprint.rawSize(),
                    fingerprint.rawSha256());
        }
    }

    /** The message over a shared file stream; closing it closes the file. */
    private record Opened(SharedFileInputStream stream, MimeMessage message, HeaderBlock headers) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    private Opened open(Path rawFile) throws MalformedEmailException, IOException {
        HeaderBlock headers;
        // Our reader first: it enforces maxHeaderBytes before Jakarta Mail buffers the header block.
        try (InputStream in = Files.newInputStream(rawFile)) {
            headers = HeaderBlockReader.readMessage(in, limits.maxHeaderBytes());
        }
        try (InputStream in = Files.newInputStream(rawFile)) {
            new StructureScanner(limits).scan(in);
        }
        SharedFileInputStream stream = new SharedFileInputStream(rawFile.toFile());
        try {
            return new Opened(stream, new MimeMessage(session, stream), headers);
        } catch (MessagingException | RuntimeException e) {
            stream.close();
            throw new MalformedEmailException(Reason.UNREADABLE, "cannot read the message headers: " + e.getMessage(), e);
        }
    }
}

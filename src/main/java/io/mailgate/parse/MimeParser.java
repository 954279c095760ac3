package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import io.mailgate.parse.MimeWalker.Kind;
import io.mailgate.parse.MimeWalker.Leaf;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
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
 * <p>The file is read through a {@link SharedFileRange}, so Jakarta Mail keeps only positions
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

    /** The top-level Message-ID, Subject, From and Date alone; never fails (see {@link OuterHeaders#read}). */
    public OuterHeaders outerHeaders(Path rawFile) {
        return OuterHeaders.read(rawFile, limits);
    }

    /** Parses raw RFC 5322 bytes stored in a file, keeping every artifact. Same as {@code parse(rawFile, ArtifactFilter.none())}. */
    public ParsedEmail parse(Path rawFile) throws MalformedEmailException {
        return parse(rawFile, ArtifactFilter.none());
    }

    /**
     * Parses raw RFC 5322 bytes stored in a file. Streams: never holds the whole message or an
     * attachment in memory (Outlook .msg and winmail.dat attachments are the exception: POI reads them
     * whole, so they are parsed only up to {@value #MAX_IN_MEMORY_BYTES} bytes). Attached messages are
     * parsed too, within the same limits: their depth adds to the depth of the part they are in, and
     * parts and decoded bytes are counted across all of them.
     *
     * @param filter artifacts the organization does not want (its own domains, internal ranges)
     */
    public ParsedEmail parse(Path rawFile, ArtifactFilter filter) throws MalformedEmailException {
        Objects.requireNonNull(filter, "filter");
        return StreamProviderLoader.<ParsedEmail, MalformedEmailException, RuntimeException>with(
                () -> parseWithin(rawFile, filter));
    }

    private ParsedEmail parseWithin(Path rawFile, ArtifactFilter filter) throws MalformedEmailException {
        try (ParseRun run = new ParseRun(limits, filter)) {
            return parseMime(rawFile, run, 0);
        } catch (IOException e) {
            throw new MalformedEmailException(
                    Reason.UNREADABLE, "cannot read " + rawFile.getFileName() + ": " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            // Jakarta Mail and POI are not written for hostile input; whatever slips through is a bad message, not a
            // crash.
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
        StreamProviderLoader.<Void, MalformedEmailException, IOException>with(() -> {
            copyWithin(rawFile, index, out);
            return null;
        });
    }

    private void copyWithin(Path rawFile, int index, OutputStream out) throws MalformedEmailException, IOException {
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
                            throw new MalformedEmailException(
                                    Reason.UNREADABLE, "cannot decode attachment " + index + ": " + e.getMessage(), e);
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

    /** Outlook .msg and TNEF files larger than this are kept as attachments without being parsed. */
    static final long MAX_IN_MEMORY_BYTES = 64L * 1024 * 1024;

    ParsedEmail parseMime(Path rawFile, ParseRun run, int depth) throws MalformedEmailException, IOException {
        try (Opened opened = open(rawFile, depth)) {
            HeaderBlock headers = opened.headers();
            ContentFingerprint.Result fingerprint = ContentFingerprint.compute(headers, rawFile);
            List<Leaf> leaves = new MimeWalker(limits, run.counter()).walk(opened.message(), headers, depth);

            LeafContents.Result contents = LeafContents.read(leaves, run);

            Draft draft = new Draft();
            draft.envelope(headers);
            draft.textBody = contents.textBody();
            draft.htmlBody = contents.htmlBody();
            draft.attachments.addAll(contents.attachments());
            draft.namedByMessage.addAll(contents.namedByMessage());
            draft.truncated = contents.truncated();
            draft.contentFingerprint = fingerprint.fingerprint();
            draft.rawSize = fingerprint.rawSize();
            draft.rawSha256 = fingerprint.rawSha256();
            for (LeafContents.Nested nested : contents.nested()) {
                Attachment attachment = contents.attachments().get(nested.attachmentIndex());
                ParsedEmail message = parseNested(nested.format(), nested.file(), run, nested.depth());
                if (message != null) {
                    draft.attached.add(new AttachedMessage(
                            nested.format(), "attachment:" + attachment.name(), nested.attachmentIndex(), message));
                }
            }
            return draft.build(run, depth);
        }
    }

    /**
     * A message carried in an attachment, or null when it cannot be read as one (it stays a plain
     * attachment). Limit violations are not swallowed: they make the whole message a bomb.
     */
    ParsedEmail parseNested(AttachedMessage.Format format, Path file, ParseRun run, int depth)
            throws MalformedEmailException {
        if (depth > limits.maxDepth()) {
            throw new MalformedEmailException(
                    Reason.TOO_DEEP, "MIME nesting deeper than " + limits.maxDepth() + " levels");
        }
        try {
            switch (format) {
                case RFC822:
                    return parseMime(file, run, depth);
                case OUTLOOK_MSG:
                    return Files.size(file) > MAX_IN_MEMORY_BYTES ? null : OutlookMessages.msg(this, file, run, depth);
                case TNEF:
                    return Files.size(file) > MAX_IN_MEMORY_BYTES ? null : OutlookMessages.tnef(this, file, run, depth);
                default:
                    return null;
            }
        } catch (MalformedEmailException e) {
            if (e.reason() == Reason.UNREADABLE || e.reason() == Reason.NOT_MIME) {
                return null;
            }
            throw e;
        } catch (IOException | RuntimeException notAMessage) {
            return null; // a damaged or mislabelled file: still hashed and listed as an attachment
        }
    }

    /** The message over a shared file stream; closing it closes the file. */
    private record Opened(SharedFileRange stream, MimeMessage message, HeaderBlock headers) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    private Opened open(Path rawFile) throws MalformedEmailException, IOException {
        return open(rawFile, 0);
    }

    private Opened open(Path rawFile, int depth) throws MalformedEmailException, IOException {
        HeaderBlock headers;
        // Our reader first: it enforces maxHeaderBytes before Jakarta Mail buffers the header block.
        try (InputStream in = Files.newInputStream(rawFile)) {
            headers = HeaderBlockReader.readMessage(in, limits.maxHeaderBytes());
        }
        try (InputStream in = Files.newInputStream(rawFile)) {
            new StructureScanner(limits).scan(in, depth);
        }
        SharedFileRange stream = SharedFileRange.open(rawFile);
        try {
            return new Opened(stream, new MimeMessage(session, stream), headers);
        } catch (MessagingException | RuntimeException e) {
            stream.close();
            throw new MalformedEmailException(
                    Reason.UNREADABLE, "cannot read the message headers: " + e.getMessage(), e);
        }
    }
}

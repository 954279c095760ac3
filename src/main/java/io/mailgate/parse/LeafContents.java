package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import io.mailgate.parse.MimeWalker.Kind;
import io.mailgate.parse.MimeWalker.Leaf;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what the walk found: decodes the text and HTML bodies (bounded by maxTextChars) and streams
 * each attachment once through its digests. All reads share one {@link DecodedBudget}.
 */
final class LeafContents {

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/msword", "doc"),
            Map.entry("application/octet-stream", "bin"),
            Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"),
            Map.entry("image/gif", "gif"),
            Map.entry("text/calendar", "ics"),
            Map.entry("text/html", "html"),
            Map.entry("text/plain", "txt"),
            Map.entry("message/delivery-status", "txt"));

    /**
     * @param namedByMessage per attachment, whether its name came from the message (made-up names are
     *                       not worth a FILE_NAME artifact)
     */
    record Result(
            String textBody,
            String htmlBody,
            List<Attachment> attachments,
            List<Boolean> namedByMessage,
            boolean truncated,
            List<Nested> nested) {}

    /** An attachment that carries a message, its decoded bytes copied to a temporary file. */
    record Nested(int attachmentIndex, AttachedMessage.Format format, Path file, int depth) {}

    private final ParseLimits limits;
    private final DecodedBudget budget;
    private StringBuilder text;
    private StringBuilder html;
    private boolean truncated;
    private final List<Attachment> attachments = new ArrayList<>();
    private final List<Boolean> namedByMessage = new ArrayList<>();
    private final List<Nested> nested = new ArrayList<>();
    private final ParseRun run;

    private LeafContents(ParseRun run) {
        this.limits = run.limits();
        this.budget = run.budget();
        this.run = run;
    }

    static Result read(List<Leaf> leaves, ParseRun run) throws MalformedEmailException, IOException {
        LeafContents contents = new LeafContents(run);
        for (Leaf leaf : leaves) {
            if (leaf.kind() == Kind.ATTACHMENT) {
                contents.addAttachment(leaf);
            } else {
                contents.addBody(leaf);
            }
        }
        return new Result(
                contents.text == null ? null : contents.text.toString(),
                contents.html == null ? null : contents.html.toString(),
                contents.attachments,
                contents.namedByMessage,
                contents.truncated,
                contents.nested);
    }

    private void addBody(Leaf leaf) throws MalformedEmailException, IOException {
        StringBuilder body = leaf.kind() == Kind.TEXT_BODY ? text : html;
        if (body == null) {
            body = new StringBuilder();
            if (leaf.kind() == Kind.TEXT_BODY) {
                text = body;
            } else {
                html = body;
            }
        } else if (body.length() >= limits.maxTextChars()) {
            truncated = true;
            return;
        } else {
            body.append('\n'); // several inline text parts: joined, as a mail client shows them
        }
        int room = limits.maxTextChars() - body.length();
        try {
            CharsetFallback.DecodedText decoded = CharsetFallback.decode(
                    () -> budget.meter(PartContent.open(leaf.part(), leaf.info())),
                    leaf.info().charset(),
                    room);
            body.append(decoded.text());
            truncated |= decoded.truncated();
        } catch (DecodedBudget.ExceededException e) {
            throw e.toMalformed();
        }
    }

    private void addAttachment(Leaf leaf) throws MalformedEmailException {
        int index = attachments.size();
        PartInfo info = leaf.info();
        AttachmentDigester.Digests digests;
        AttachedMessage.Format format = AttachedMessage.Format.of(info.mimeType(), info.fileName());
        try (InputStream in = budget.meter(PartContent.open(leaf.part(), info))) {
            if (format == null) {
                digests = AttachmentDigester.digest(in);
            } else {
                // one pass: the digests, and the bytes for parsing the message inside
                Path copy = run.newTempFile();
                try (OutputStream out = Files.newOutputStream(copy)) {
                    digests = AttachmentDigester.digest(new TeeInputStream(in, out));
                }
                nested.add(new Nested(index, format, copy, leaf.depth() + 1));
            }
        } catch (DecodedBudget.ExceededException e) {
            throw e.toMalformed();
        } catch (IOException e) {
            // the file failed, or a quoted-printable / uuencoded stream is broken: hashes of part of
            // an attachment would mislead a threat-intel lookup, so refuse rather than guess
            throw new MalformedEmailException(
                    Reason.UNREADABLE,
                    "cannot decode attachment " + index + " (" + info.mimeType() + "): " + e.getMessage(),
                    e);
        }
        String name = info.fileName();
        namedByMessage.add(name != null);
        if (name == null) {
            name = info.isMessage() ? nestedMessageName(leaf) : untitled(index, info);
        }
        boolean inline =
                "inline".equals(info.disposition()) || (info.disposition() == null && info.contentId() != null);
        attachments.add(new Attachment(
                index, name, info.mimeType(), digests.size(), digests.sha256(), digests.sha1(), digests.md5(), inline));
    }

    /** A forwarded email without a file name is named after its subject, as mail clients do. */
    private String nestedMessageName(Leaf leaf) {
        String subject = null;
        try (InputStream in = PartContent.open(leaf.part(), leaf.info())) {
            subject = EncodedWords.decode(
                    HeaderBlockReader.readPart(in, limits.maxHeaderBytes()).first("Subject"));
        } catch (IOException | MalformedEmailException unreadable) {
            // keep the generic name: the attachment itself is still there
        }
        String base = subject == null
                ? ""
                : subject.replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_").strip();
        if (base.length() > 200) {
            base = base.substring(0, 200).strip();
        }
        return (base.isEmpty() ? "message" : base) + ".eml";
    }

    private static String untitled(int index, PartInfo info) {
        String subtype = info.mimeType().substring(info.mimeType().indexOf('/') + 1);
        String extension = EXTENSIONS.getOrDefault(info.mimeType(), subtype.matches("[a-z0-9]{1,5}") ? subtype : "bin");
        return "untitled-" + index + "." + extension;
    }

    /** Copies what is read to {@code out}. */
    private static final class TeeInputStream extends FilterInputStream {
        private final OutputStream out;

        TeeInputStream(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                out.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                out.write(buffer, offset, n);
            }
            return n;
        }
    }
}

package io.mailgate.parse;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.SharedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

/**
 * A MimeMultipart that enforces the part count and the header block size while Jakarta Mail splits
 * it, through the factory hooks it calls for each body part. Checking afterwards would be too late:
 * a single multipart with a million tiny parts would already have a million MimeBodyParts on the heap.
 *
 * <p>Each body part also gets its header block read by {@link HeaderBlockReader}, for charset-correct
 * values (InternetHeaders of a body part always reads raw bytes as Latin-1).
 */
final class LimitedMultipart extends MimeMultipart {

    /** Counts body parts across one message walk. */
    static final class PartCounter {
        private final ParseLimits limits;
        private int parts;

        PartCounter(ParseLimits limits) {
            this.limits = limits;
        }

        void count() throws LimitExceededException {
            if (++parts > limits.maxParts()) {
                throw new LimitExceededException(new MalformedEmailException(
                        MalformedEmailException.Reason.TOO_MANY_PARTS,
                        "more than " + limits.maxParts() + " MIME parts"));
            }
        }
    }

    /** Carries a limit violation through MimeMultipart.parse(), which only lets MessagingException out. */
    static final class LimitExceededException extends MessagingException {
        private static final long serialVersionUID = 1L;
        private final transient MalformedEmailException malformed;

        LimitExceededException(MalformedEmailException malformed) {
            super(malformed.getMessage());
            this.malformed = malformed;
        }

        MalformedEmailException malformed() {
            return malformed;
        }
    }

    /** A body part together with the header block we read for it. */
    static final class WalkedBodyPart extends MimeBodyPart {
        private final HeaderBlock headerBlock;

        WalkedBodyPart(InputStream in, HeaderBlock headerBlock) throws MessagingException {
            super(in);
            this.headerBlock = headerBlock;
        }

        /**
         * A part over the shared file whose header block we already read: Jakarta's own header parsing
         * is skipped (it would read the same bytes again, and look its StreamProvider up each time).
         */
        WalkedBodyPart(SharedInputStream shared, HeaderBlock headerBlock) {
            super();
            this.headerBlock = headerBlock;
            for (HeaderBlock.Field field : headerBlock.fields()) {
                if (field.wellFormed()) {
                    headers.addHeader(field.name(), field.value());
                }
            }
            this.contentStream = shared.newStream(headerBlock.bodyOffset(), -1);
        }

        WalkedBodyPart(InternetHeaders headers, byte[] content) throws MessagingException {
            super(headers, content);
            this.headerBlock = null;
        }

        HeaderBlock headerBlock() throws MessagingException {
            return headerBlock != null ? headerBlock : fromJakarta(getAllHeaders());
        }
    }

    private final PartCounter counter;
    private final int maxHeaderBytes;

    LimitedMultipart(DataSource source, PartCounter counter, int maxHeaderBytes) throws MessagingException {
        super(source);
        this.counter = counter;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    protected void initializeProperties() {
        super.initializeProperties();
        // Jakarta reads these from system properties; we want them for our parser only.
        ignoreMissingEndBoundary = true; // a truncated message still yields its parts
        ignoreMissingBoundaryParameter = true; // guess the boundary from the first "--" line
        allowEmpty = true; // an empty multipart is odd, not fatal
    }

    /**
     * Splits with {@link MultipartSplit} when the content is a range of the message file (always, for the
     * messages we parse); Jakarta's own split is kept for any other stream.
     */
    @Override
    protected synchronized void parse() throws MessagingException {
        if (parsed) {
            return;
        }
        InputStream in;
        try {
            in = ds.getInputStream();
        } catch (IOException | RuntimeException e) {
            throw new MessagingException("cannot read the content of a multipart", e);
        }
        if (!(in instanceof SharedFileRange content)) {
            closeQuietly(in);
            super.parse();
            return;
        }
        initializeProperties();
        try (content) {
            String boundary = new ContentType(contentType).getParameter("boundary");
            parsed = true; // first: MimeMultipart.addBodyPart() would parse again
            complete = MultipartSplit.split(content, boundary, (start, end) -> {
                try (SharedFileRange part = content.newStream(start, end)) {
                    super.addBodyPart(createMimeBodyPart(part));
                }
            });
        } catch (IOException e) {
            throw new MessagingException("cannot read the content of a multipart", e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // only read from: nothing was lost
        }
    }

    @Override
    protected MimeBodyPart createMimeBodyPart(InputStream in) throws MessagingException {
        counter.count();
        if (!(in instanceof SharedInputStream shared)) {
            // not expected: our root stream is a SharedFileRange, and so is every part of it
            return new WalkedBodyPart(in, null);
        }
        HeaderBlock headerBlock;
        try (InputStream copy = shared.newStream(0, -1)) {
            headerBlock = HeaderBlockReader.readPart(copy, maxHeaderBytes);
        } catch (MalformedEmailException tooLarge) {
            throw new LimitExceededException(tooLarge);
        } catch (IOException unreadable) {
            throw new MessagingException("cannot read the headers of a body part", unreadable);
        }
        return new WalkedBodyPart(shared, headerBlock);
    }

    @Override
    protected MimeBodyPart createMimeBodyPart(InternetHeaders headers, byte[] content) throws MessagingException {
        counter.count();
        return new WalkedBodyPart(headers, content);
    }

    static HeaderBlock fromJakarta(Enumeration<jakarta.mail.Header> all) {
        List<HeaderBlock.Field> fields = new ArrayList<>();
        while (all.hasMoreElements()) {
            jakarta.mail.Header header = all.nextElement();
            String value = header.getValue() == null
                    ? ""
                    : MimeUtility.unfold(header.getValue()).strip();
            fields.add(new HeaderBlock.Field(header.getName(), value, header.getValue() != null));
        }
        return new HeaderBlock(fields, 0);
    }
}

package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a header block byte by byte up to the first empty line.
 *
 * <p>We read headers ourselves rather than through Jakarta Mail's InternetHeaders for two reasons:
 * the size limit must be enforced before anything is buffered (InternetHeaders reads any amount), and
 * raw 8-bit header bytes must be decoded per field, as UTF-8 when valid and ISO-8859-1 otherwise
 * (InternetHeaders applies one charset to all). Lines may end in CRLF, bare LF or bare CR.
 */
final class HeaderBlockReader {

    private static final int CR = '\r';
    private static final int LF = '\n';

    private HeaderBlockReader() {}

    /**
     * Reads the header block of a top-level message: it must start with a header field (or an mbox
     * "From " envelope line, which is skipped), otherwise the bytes are not an email at all.
     */
    static HeaderBlock readMessage(InputStream in, int maxHeaderBytes) throws IOException, MalformedEmailException {
        return read(in, maxHeaderBytes, true);
    }

    /** Reads the header block of a body part or nested message; an empty block is fine here. */
    static HeaderBlock readPart(InputStream in, int maxHeaderBytes) throws IOException, MalformedEmailException {
        return read(in, maxHeaderBytes, false);
    }

    private static HeaderBlock read(InputStream raw, int maxHeaderBytes, boolean topLevel)
            throws IOException, MalformedEmailException {
        // Buffered because we read byte by byte; it may read past the block, so callers use bodyOffset
        // rather than the stream's position afterwards.
        LineReader lines = new LineReader(new ByteReader(raw, 8192), maxHeaderBytes); // not closed: the caller's
        List<HeaderBlock.Field> fields = new ArrayList<>();
        ByteArrayOutputStream field = null; // the field being unfolded
        boolean firstLine = true;
        while (true) {
            boolean endOfStream = !lines.next();
            if (endOfStream && lines.length == 0) {
                if (topLevel && firstLine) {
                    throw new MalformedEmailException(Reason.NOT_MIME, "not an email message: the file is empty");
                }
                break;
            }
            byte[] bytes = lines.bytes();
            if (bytes.length == 0) {
                if (topLevel && firstLine) {
                    throw new MalformedEmailException(
                            Reason.NOT_MIME,
                            "not an email message: it starts with an empty line, so it has no header block");
                }
                break; // the empty line that ends the header block
            }
            boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
            if (topLevel && firstLine) {
                if (startsWith(bytes, "From ")) {
                    firstLine = false;
                    continue; // mbox envelope line: not part of the message headers
                }
                if (continuation || fieldNameLength(bytes) < 0) {
                    throw new MalformedEmailException(
                            Reason.NOT_MIME, "not an email message: the first line is not a header field");
                }
            }
            firstLine = false;
            if (continuation && field != null) {
                field.write(bytes); // unfolding keeps the leading whitespace, drops the line break
            } else {
                if (field != null) {
                    fields.add(toField(field.toByteArray()));
                }
                field = new ByteArrayOutputStream(Math.max(64, bytes.length));
                field.write(bytes);
            }
            if (endOfStream) {
                break;
            }
        }
        if (field != null) {
            fields.add(toField(field.toByteArray()));
        }
        return new HeaderBlock(fields, lines.position);
    }

    /**
     * The lines of a header block, up to its size limit. Its own class so that the loop over every byte is a small
     * method the JIT compiles once, instead of being compiled on stack with all of read() (issue 13).
     */
    private static final class LineReader {
        private final ByteReader in;
        private final int maxHeaderBytes;
        long position; // bytes read, line ends included
        private byte[] line = new byte[128];
        int length; // of the line read last, without its line end

        LineReader(ByteReader in, int maxHeaderBytes) {
            this.in = in;
            this.maxHeaderBytes = maxHeaderBytes;
        }

        /** Reads the next line, without its line end; false at the end of the stream (the line may have bytes). */
        boolean next() throws IOException, MalformedEmailException {
            length = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                position++;
                if (position > maxHeaderBytes) {
                    throw new MalformedEmailException(
                            Reason.HEADER_TOO_LARGE, "header block larger than " + maxHeaderBytes + " bytes");
                }
                if (b == LF) {
                    return true;
                }
                if (b == CR) {
                    int next = in.read();
                    if (next == LF) {
                        position++;
                    } else if (next >= 0) {
                        in.unread(next);
                    }
                    return true;
                }
                if (length == line.length) {
                    line = Arrays.copyOf(line, line.length * 2); // bounded by maxHeaderBytes
                }
                line[length++] = (byte) b;
            }
        }

        /** The bytes of the line read last. */
        byte[] bytes() {
            return Arrays.copyOf(line, length);
        }
    }

    private static HeaderBlock.Field toField(byte[] bytes) {
        String text = CharsetFallback.decode(bytes, "UTF-8");
        int nameLength = fieldNameLength(bytes);
        if (nameLength < 0) {
            return new HeaderBlock.Field(text.strip(), "", false);
        }
        int colon = text.indexOf(':');
        return new HeaderBlock.Field(
                text.substring(0, colon).strip(), text.substring(colon + 1).strip(), true);
    }

    /**
     * Length of the field name if the line starts "name:" (printable US-ASCII name, optionally
     * followed by whitespace before the colon, as RFC 5322 obsolete syntax allows), else -1.
     */
    private static int fieldNameLength(byte[] line) {
        int i = 0;
        while (i < line.length && line[i] > 32 && line[i] < 127 && line[i] != ':') {
            i++;
        }
        int nameLength = i;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return nameLength > 0 && i < line.length && line[i] == ':' ? nameLength : -1;
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < p.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (bytes[i] != p[i]) {
                return false;
            }
        }
        return true;
    }
}

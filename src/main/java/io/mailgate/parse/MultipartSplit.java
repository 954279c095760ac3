package io.mailgate.parse;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Finds the body parts of a multipart's content: the byte range of each, from the line after a delimiter to
 * the line end before the next one. It follows Jakarta Mail's {@code MimeMultipart.parse()} rule for rule (so
 * what a message splits into does not depend on which of the two split it; {@code MultipartSplitTest}
 * compares them on random input), but reads each byte once through a buffer of its own.
 *
 * <p>Why: Jakarta's split steps through the content a boundary's length at a time with mark, read, reset and
 * skip on a 2 kB-buffered file stream, several calls per step. In issue 13's profile that was 21.5% of a
 * worker's CPU, the largest single cost of parsing.
 *
 * <p>The rules, as Jakarta applies them:
 * <ul>
 *   <li>Lines end at LF, CRLF or a bare CR; while reading the preamble and a part's header lines, CR CR LF is
 *       one line end too.</li>
 *   <li>Preamble: the first line equal to the delimiter (trailing spaces and tabs ignored) starts the first
 *       part; one equal to the close delimiter first means the multipart has no parts. Without a boundary
 *       parameter, the first line longer than two characters that starts with "--" and is not all dashes is
 *       the delimiter. No delimiter at all: no parts.</li>
 *   <li>A part's header lines are skipped up to the first empty line; a part whose header block never ends
 *       is dropped and the multipart is incomplete.</li>
 *   <li>In the body, a line that starts with the delimiter ends the part if the rest of the line is only
 *       spaces and tabs and a line end follows, and ends the multipart if "--" follows it (anything after is
 *       ignored). The line end before the delimiter belongs to the delimiter; a delimiter right after the
 *       header block ends an empty part. A body that reaches the end of the content without a delimiter is a
 *       last part, and the multipart is incomplete.</li>
 * </ul>
 * One deliberate difference: a guessed boundary (no boundary parameter) longer than {@value #MAX_GUESSED}
 * bytes is not recognised; a boundary is at most 70 characters (RFC 2046).
 */
final class MultipartSplit {

    static final int MAX_GUESSED = 4096;

    /** Receives each part's range, relative to the start of the content, as soon as it is found. */
    interface PartSink {
        void part(long start, long end) throws MessagingException, IOException;
    }

    private MultipartSplit() {}

    /**
     * @param boundary the boundary parameter, or null to take the first delimiter-like line as the delimiter
     * @return whether the close delimiter was found (false also when there were no parts at all)
     */
    static boolean split(InputStream content, String boundary, PartSink sink) throws MessagingException, IOException {
        byte[] delimiter = boundary == null ? null : latin1("--" + boundary);
        LineReader lines = new LineReader(content, delimiter == null ? MAX_GUESSED : delimiter.length + 2);
        delimiter = firstDelimiter(lines, delimiter);
        if (delimiter == null) {
            return false;
        }
        int length = delimiter.length;
        while (true) {
            long start = lines.offset();
            if (!skipHeaderLines(lines)) {
                return false;
            }
            boolean first = true;
            int previousEnd = 0; // length of the line end before the current line
            while (true) {
                if (!lines.next(length + 2, false)) {
                    sink.part(start, lines.offset());
                    return false; // no close delimiter: the part runs to the end
                }
                if (lines.startsWith(delimiter)) {
                    long end = lines.start - (first ? 0 : previousEnd);
                    if (lines.headLength >= length + 2 && lines.head[length] == '-' && lines.head[length + 1] == '-') {
                        sink.part(start, end);
                        return true;
                    }
                    if (lines.strippedLength == length && lines.lineEnd > 0) {
                        sink.part(start, end);
                        break;
                    }
                }
                first = false;
                previousEnd = lines.lineEnd;
            }
        }
    }

    /** Reads the preamble; returns the delimiter that starts the first part, or null if no part starts. */
    private static byte[] firstDelimiter(LineReader lines, byte[] delimiter) throws IOException {
        while (lines.next(lines.head.length, true)) {
            long stripped = lines.strippedLength;
            if (delimiter != null) {
                if (!lines.startsWith(delimiter)) {
                    continue;
                }
                int length = delimiter.length;
                if (stripped == length) {
                    return delimiter;
                }
                if (stripped == length + 2 && lines.head[length] == '-' && lines.head[length + 1] == '-') {
                    return null; // closed before it opened: no parts
                }
            } else if (stripped > 2 && stripped <= lines.headLength && lines.head[0] == '-' && lines.head[1] == '-') {
                byte[] line = Arrays.copyOf(lines.head, (int) stripped);
                if (stripped <= 4 || !allDashes(line)) {
                    return line; // a line of dashes longer than that is more likely a ruler in the preamble
                }
            }
        }
        return null;
    }

    /** Skips a part's header lines and the empty line after them; false if the content ends first. */
    private static boolean skipHeaderLines(LineReader lines) throws IOException {
        while (lines.next(0, true)) {
            if (lines.length == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean allDashes(byte[] line) {
        for (byte b : line) {
            if (b != '-') {
                return false;
            }
        }
        return true;
    }

    /** A header value's characters as bytes, one per character, as Jakarta Mail compares them. */
    private static byte[] latin1(String s) {
        byte[] bytes = new byte[s.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) s.charAt(i);
        }
        return bytes;
    }

    /**
     * Reads lines, keeping of each only its first bytes, its length with and without trailing spaces and tabs,
     * and the length of its line end. Never holds a whole line: a base64 body may be one line of many MB.
     */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;
        private long bufferOffset; // offset of buffer[0] in the content
        private boolean endOfStream;

        final byte[] head;
        int headLength;
        long start;
        long length;
        long strippedLength;
        int lineEnd;

        LineReader(InputStream in, int headSize) throws IOException {
            this.in = in;
            this.head = new byte[headSize];
            this.buffer = ReadBuffers.forRestOf(in, 64 * 1024);
        }

        /** Offset of the next unread byte. */
        long offset() {
            return bufferOffset + position;
        }

        boolean startsWith(byte[] prefix) {
            if (headLength < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (head[i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Reads the next line, keeping its first {@code keep} bytes in {@link #head}.
         *
         * @param crCrLf whether CR CR LF ends a line as one line end (Jakarta's line reader), or as two
         * @return false at the end of the content, when there is no line left
         */
        boolean next(int keep, boolean crCrLf) throws IOException {
            start = offset();
            length = 0;
            strippedLength = 0;
            headLength = 0;
            lineEnd = 0;
            if (!ensure(1)) {
                return false;
            }
            while (true) {
                if (position == limit && !ensure(1)) {
                    return true; // the last line has no line end
                }
                byte[] b = buffer;
                int from = position;
                int p = from;
                int to = limit;
                while (p < to && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
                int n = p - from;
                if (n > 0) {
                    int copy = Math.min(n, keep - headLength);
                    if (copy > 0) {
                        System.arraycopy(b, from, head, headLength, copy);
                        headLength += copy;
                    }
                    int last = p - 1;
                    while (last >= from && (b[last] == ' ' || b[last] == '\t')) {
                        last--;
                    }
                    if (last >= from) {
                        strippedLength = length + (last - from) + 1;
                    }
                    length += n;
                }
                position = p;
                if (p < to) {
                    byte terminator = b[position++];
                    lineEnd = 1;
                    if (terminator == '\r') {
                        if (ensure(1) && buffer[position] == '\n') {
                            position++;
                            lineEnd = 2;
                        } else if (crCrLf && ensure(2) && buffer[position] == '\r' && buffer[position + 1] == '\n') {
                            position += 2;
                            lineEnd = 3;
                        }
                    }
                    return true;
                }
            }
        }

        /** Makes at least {@code n} unread bytes available in the buffer; false if the content ends first. */
        private boolean ensure(int n) throws IOException {
            while (limit - position < n) {
                if (endOfStream) {
                    return false;
                }
                if (position > 0) {
                    System.arraycopy(buffer, position, buffer, 0, limit - position);
                    bufferOffset += position;
                    limit -= position;
                    position = 0;
                }
                int read = in.read(buffer, limit, buffer.length - limit);
                if (read < 0) {
                    endOfStream = true;
                    return false;
                }
                limit += read;
            }
            return true;
        }
    }
}

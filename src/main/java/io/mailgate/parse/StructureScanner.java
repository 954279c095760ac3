package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One cheap pass over the raw message that follows only the multipart structure (Content-Type headers
 * and boundary lines) to enforce {@link ParseLimits#maxDepth()} and {@link ParseLimits#maxParts()}
 * before Jakarta Mail splits anything.
 *
 * <p>Why: Jakarta Mail searches for boundaries through the whole remaining message once per nesting
 * level, and that search is slow; a 10,000-level bomb of under 1 MB would take most of a second to
 * reach the depth limit that way. Here it fails after reading the first few kilobytes. The walk still
 * enforces the same limits itself ({@link LimitedMultipart}), so this scan may be approximate at the
 * margins without letting anything through.
 *
 * <p>Mirrors what the walk does: a multipart without a boundary parameter takes the first "--" line of
 * its body as its boundary, and a missing close delimiter is implied by the enclosing one. A
 * message/rfc822 part that is not base64 or quoted-printable encoded is entered as one level deeper
 * (the parser parses attached messages with the same depth limit), so a bomb of messages nested in
 * messages fails here too; encoded ones are limited when they are parsed.
 */
final class StructureScanner {

    /** Boundaries are at most 70 characters (RFC 2046); longer lines can never be a delimiter. */
    private static final int MAX_DELIMITER_LINE = 200;

    private final ParseLimits limits;

    StructureScanner(ParseLimits limits) {
        this.limits = limits;
    }

    /**
     * A multipart being scanned; {@code boundary} is null until guessed when the header gave none. A
     * message frame (an attached message) has no boundary and ends with its enclosing multipart.
     */
    private static final class Frame {
        String boundary;
        final boolean message;

        Frame(String boundary, boolean message) {
            this.boundary = boundary;
            this.message = message;
        }
    }

    void scan(InputStream raw) throws IOException, MalformedEmailException {
        scan(raw, 0);
    }

    /** @param baseDepth depth of the message scanned, when it is nested in another */
    void scan(InputStream raw, int baseDepth) throws IOException, MalformedEmailException {
        LineReader lines = new LineReader(raw);
        Line line = new Line();
        Walk walk = new Walk(baseDepth);
        // Only header lines and body lines that start with '-' come up to this loop: LineReader passes over the others
        // (most of a message, base64 above all) in a loop of its own. This method runs once per message; had it looped
        // over every line, the JIT would compile it on stack (OSR), with the header and delimiter code it inlines,
        // once more for every loop entry it found hot: that was 20% of the JIT's work in a 2,000-message run of the
        // parser (issue 13).
        while (true) {
            if (walk.inHeaders) {
                lines.read(line, limits.maxHeaderBytes() + 1, false);
                if (lines.endOfStream && lines.length == 0) {
                    return;
                }
                walk.headerLine(line, lines.length);
            } else if (!walk.enclosed()) {
                return; // a body outside any multipart or attached message: no line of it can open or close anything
            } else {
                // one byte more than a delimiter line can have, so that a longer line is seen to be longer
                lines.readDashLine(line, MAX_DELIMITER_LINE + 1);
                if (line.startsWithDashes() && line.size() <= MAX_DELIMITER_LINE) {
                    walk.dashLine(line);
                }
            }
            if (lines.endOfStream) {
                return;
            }
        }
    }

    /** Where the scan of one message is: the multiparts open around it and the header block being read. */
    private final class Walk {
        private final int baseDepth;
        private final List<Frame> open = new ArrayList<>(); // innermost last
        private StringBuilder contentType; // unfolded Content-Type of the header block being read
        private boolean inHeaders = true; // the message starts with its header block
        private boolean inContentType;
        private boolean encoded; // the part has a base64 / quoted-printable body
        private long headerBytes;
        private int parts;

        Walk(int baseDepth) {
            this.baseDepth = baseDepth;
        }

        /** Whether a multipart or attached message is open around the current body: its delimiters may follow. */
        boolean enclosed() {
            return !open.isEmpty();
        }

        /** A line of a header block ({@code length}: the bytes it took, line end included). */
        void headerLine(Line line, long length) throws MalformedEmailException {
            headerBytes += length;
            if (headerBytes > limits.maxHeaderBytes()) {
                throw new MalformedEmailException(
                        Reason.HEADER_TOO_LARGE, "header block larger than " + limits.maxHeaderBytes() + " bytes");
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                endOfHeaders();
            } else if (text.charAt(0) == ' ' || text.charAt(0) == '\t') {
                if (inContentType) {
                    contentType.append(text);
                }
            } else {
                field(text);
            }
        }

        private void field(String text) {
            int colon = text.indexOf(':');
            if (colon > 0 && text.substring(0, colon).strip().equalsIgnoreCase("content-transfer-encoding")) {
                String cte = text.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
                encoded = cte.startsWith("base64") || cte.startsWith("quoted-printable");
            }
            // "Content-Type :" (space before the colon) is obsolete syntax Jakarta Mail accepts
            inContentType = colon > 0 && text.substring(0, colon).strip().equalsIgnoreCase("content-type");
            if (inContentType && contentType == null) {
                contentType = new StringBuilder(text.substring(colon + 1));
            } else if (inContentType) {
                inContentType = false; // Jakarta uses the first Content-Type; so do we
            }
        }

        /** The empty line after a header block: a body follows, maybe a multipart's or an attached message. */
        private void endOfHeaders() throws MalformedEmailException {
            inHeaders = false;
            String boundary = multipartBoundary(contentType);
            boolean message = boundary == null && !encoded && isMessage(contentType);
            if (boundary != null || message) {
                if (baseDepth + open.size() + 1 > limits.maxDepth()) {
                    throw new MalformedEmailException(
                            Reason.TOO_DEEP, "MIME nesting deeper than " + limits.maxDepth() + " levels");
                }
                open.add(new Frame(boundary == null || boundary.isEmpty() ? null : boundary, message));
            }
            if (message) {
                startHeaders(); // the attached message's own header block follows
            }
        }

        private void startHeaders() {
            inHeaders = true;
            contentType = null;
            inContentType = false;
            encoded = false;
            headerBytes = 0;
        }

        /** A body line that starts with "--": maybe a delimiter of an open multipart. */
        void dashLine(Line line) throws MalformedEmailException {
            String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            if (!text.startsWith("--")) {
                return;
            }
            Frame innermost = open.get(open.size() - 1);
            if (innermost.boundary == null && !innermost.message) {
                innermost.boundary = text.substring(2);
            }
            for (int level = open.size() - 1; level >= 0; level--) {
                if (open.get(level).message) {
                    continue;
                }
                String delimiter = "--" + open.get(level).boundary;
                if (text.equals(delimiter)) {
                    close(open, level + 1); // inner multiparts left open end here
                    if (++parts > limits.maxParts()) {
                        throw new MalformedEmailException(
                                Reason.TOO_MANY_PARTS, "more than " + limits.maxParts() + " MIME parts");
                    }
                    startHeaders();
                    return;
                }
                if (text.equals(delimiter + "--")) {
                    close(open, level);
                    return;
                }
            }
        }
    }

    /**
     * The line being read. Only a line starting with "--" can be a delimiter: the others (most of a message, base64
     * lines above all) are passed over without making a String of them.
     */
    private static final class Line extends ByteArrayOutputStream {
        Line() {
            super(MAX_DELIMITER_LINE);
        }

        boolean startsWithDashes() {
            return count >= 2 && buf[0] == '-' && buf[1] == '-';
        }
    }

    private static void close(List<Frame> open, int fromLevel) {
        while (open.size() > fromLevel) {
            open.remove(open.size() - 1);
        }
    }

    private static boolean isMessage(StringBuilder contentType) {
        if (contentType == null) {
            return false;
        }
        String base = contentType.toString().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return base.equals("message/rfc822") || base.equals("message/global");
    }

    /** The boundary of a multipart Content-Type; "" for a multipart without one; null if not multipart. */
    private static String multipartBoundary(StringBuilder contentType) {
        if (contentType == null) {
            return null;
        }
        try {
            ContentType type = new ContentType(contentType.toString());
            if (!type.getPrimaryType().toLowerCase(Locale.ROOT).equals("multipart")) {
                return null;
            }
            String boundary = type.getParameter("boundary");
            return boundary == null ? "" : boundary;
        } catch (ParseException | RuntimeException unparseable) {
            return null; // the walk will show such a part as text, so there is nothing to nest
        }
    }

    /**
     * Reads lines ending at LF, CRLF or a bare CR, keeping only as much of each as asked for. Has its
     * own buffer: this loop touches every byte of messages up to hundreds of MB, so it must not make a
     * (synchronized) method call per byte.
     */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer;
        private int position;
        private int limit;
        boolean endOfStream;
        long length; // bytes the last line took in the stream, terminator included

        LineReader(InputStream in) throws IOException {
            this.in = in;
            this.buffer = ReadBuffers.forRestOf(in, 64 * 1024);
        }

        /**
         * Reads one line into {@code line} (cleared first); bytes past {@code keep} are consumed, not kept, and so is
         * the whole line if {@code onlyDashes} and it does not start with '-'.
         */
        void read(ByteArrayOutputStream line, int keep, boolean onlyDashes) throws IOException {
            line.reset();
            length = 0;
            boolean afterCr = false;
            if (onlyDashes && (position < limit || fill()) && buffer[position] != '-') {
                keep = 0;
            }
            while (true) {
                if (position == limit && !fill()) {
                    endOfStream = true;
                    return;
                }
                if (afterCr) {
                    if (buffer[position] == '\n') {
                        position++;
                        length++;
                    }
                    return;
                }
                byte[] b = buffer;
                int start = position;
                int p = start;
                int end = limit;
                while (p < end && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
                position = p;
                int kept = Math.min(p - start, keep - line.size());
                if (kept > 0) {
                    line.write(b, start, kept);
                }
                length += p - start;
                if (p < end) {
                    byte terminator = b[position++];
                    length++;
                    if (terminator == '\n') {
                        return;
                    }
                    afterCr = true; // a CR: swallow a following LF, possibly in the next buffer
                }
            }
        }

        /**
         * Reads lines as {@link #read} does with {@code onlyDashes} until one starts with '-' (kept in {@code line}) or
         * the stream ends: in a body only such a line can be a delimiter.
         */
        void readDashLine(ByteArrayOutputStream line, int keep) throws IOException {
            do {
                read(line, keep, true);
            } while (line.size() == 0 && !endOfStream);
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }
    }
}

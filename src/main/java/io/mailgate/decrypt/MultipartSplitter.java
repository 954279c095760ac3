package io.mailgate.decrypt;

import io.mailgate.parse.ByteReader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the body parts of a multipart entity as byte ranges of its file, without loading them.
 * Signatures cover the exact bytes of a part, so a part is never parsed and written out again.
 */
final class MultipartSplitter {

    /** A body part: bytes [start, end) of the file, headers included, the CRLF before the next delimiter excluded. */
    record Part(long start, long end) {}

    private MultipartSplitter() {}

    static List<Part> split(Path file, long bodyOffset, String boundary) throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        // ByteReader, not BufferedInputStream: this loop reads every byte of every signed message one at a time
        try (ByteReader in = new ByteReader(Files.newInputStream(file), 64 * 1024)) {
            in.skipFirst(bodyOffset);
            long position = bodyOffset;
            long partStart = -1;
            int previousTerminator = 0;
            byte[] prefix = new byte[delimiter.length + 80];
            while (true) {
                // Read one line, remembering only a prefix: enough to recognise a delimiter line.
                long lineStart = position;
                int prefixLength = 0;
                int b;
                int last = -1;
                int beforeLast = -1;
                boolean any = false;
                while ((b = in.read()) != -1) {
                    any = true;
                    position++;
                    if (prefixLength < prefix.length) {
                        prefix[prefixLength++] = (byte) b;
                    }
                    beforeLast = last;
                    last = b;
                    if (b == '\n') {
                        break;
                    }
                }
                if (!any) {
                    break;
                }
                int terminator = last == '\n' ? (beforeLast == '\r' ? 2 : 1) : 0;
                int kind = delimiterKind(prefix, prefixLength, position - lineStart, terminator, delimiter);
                if (kind != 0) {
                    if (partStart >= 0) {
                        parts.add(new Part(partStart, lineStart - previousTerminator));
                    }
                    if (kind == 2) {
                        return parts;
                    }
                    partStart = position;
                }
                previousTerminator = terminator;
                if (b == -1) {
                    break;
                }
            }
        }
        // No closing delimiter: the entity is truncated; what was complete is still returned.
        return parts;
    }

    /** @return 0 not a delimiter line, 1 a delimiter, 2 the closing delimiter */
    private static int delimiterKind(
            byte[] prefix, int prefixLength, long lineLength, int terminator, byte[] delimiter) {
        if (lineLength > prefix.length || prefixLength < delimiter.length) {
            return 0;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (prefix[i] != delimiter[i]) {
                return 0;
            }
        }
        int end = prefixLength - terminator;
        int i = delimiter.length;
        int kind = 1;
        if (end - i >= 2 && prefix[i] == '-' && prefix[i + 1] == '-') {
            kind = 2;
            i += 2;
        }
        for (; i < end; i++) { // only transport padding may follow
            if (prefix[i] != ' ' && prefix[i] != '\t') {
                return 0;
            }
        }
        return kind;
    }

    /** Copies a part's bytes to a file of its own, by channel transfer (no heap copy). */
    static void copy(Path source, Part part, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(
                        target,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long position = part.start();
            long remaining = part.end() - part.start();
            while (remaining > 0) {
                long moved = in.transferTo(position, remaining, out);
                if (moved <= 0) {
                    throw new IOException("short transfer from " + source);
                }
                position += moved;
                remaining -= moved;
            }
        }
    }
}

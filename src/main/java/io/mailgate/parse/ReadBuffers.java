package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Read buffers no larger than what is left to read. The parser's streams are files and byte ranges of files, which
 * know how much is left ({@code available()}); most parts are a few kilobytes, and a 48–64 kB buffer for each of them
 * was a quarter of everything a message's parse allocated (issue 13's allocation profile).
 */
final class ReadBuffers {

    /** Small enough not to matter, large enough that a stream that underreports still reads in useful chunks. */
    private static final int MIN = 1024;

    private ReadBuffers() {}

    /** A buffer for the rest of {@code in}: {@code max} bytes when the stream cannot tell. */
    static byte[] forRestOf(InputStream in, int max) throws IOException {
        int left = in.available();
        return new byte[left > 0 ? Math.min(max, Math.max(MIN, left)) : max];
    }
}

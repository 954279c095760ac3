package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream's bytes one at a time from a buffer of its own, with one byte of push-back. For loops that look at every
 * byte of a message (header blocks, multipart delimiters): BufferedInputStream's read() is synchronized, and calling
 * it per byte was several percent of a worker's CPU (issue 13). Not thread-safe; closing it closes the stream.
 */
public final class ByteReader implements AutoCloseable {

    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int limit;
    private int pushedBack = -1;

    public ByteReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** The next byte (0–255), or -1 at the end of the stream. */
    public int read() throws IOException {
        if (pushedBack >= 0) {
            int b = pushedBack;
            pushedBack = -1;
            return b;
        }
        if (position == limit) {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length); // what is there: never waits for a full buffer
            } while (n == 0);
            if (n < 0) {
                return -1;
            }
            position = 0;
            limit = n;
        }
        return buffer[position++] & 0xff;
    }

    /** Gives back the byte just read: the next read() returns it. */
    public void unread(int b) {
        pushedBack = b;
    }

    /** Skips {@code n} bytes of the stream; only before the first read(). */
    public void skipFirst(long n) throws IOException {
        if (position != limit || pushedBack >= 0) {
            throw new IllegalStateException("skipFirst after reading");
        }
        in.skipNBytes(n);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package io.mailgate.decrypt;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Stops writing past a byte limit. Decrypted or decompressed content can be far larger than what
 * came in (a compressed layer is a zip bomb in waiting), so every layer written to disk goes through one.
 */
final class LimitedOutputStream extends FilterOutputStream {

    /** Thrown when the limit is reached; a distinct type so callers can tell it from real I/O errors. */
    static final class LimitExceededException extends IOException {

        private static final long serialVersionUID = 1L;

        LimitExceededException(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    private final long limit;
    private long written;

    LimitedOutputStream(OutputStream out, long limit) {
        super(out);
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        count(1);
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        count(len);
        out.write(b, off, len);
    }

    private void count(long n) throws IOException {
        written += n;
        if (written > limit) {
            throw new LimitExceededException(limit);
        }
    }
}

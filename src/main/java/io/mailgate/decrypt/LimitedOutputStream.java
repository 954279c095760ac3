package io.mailgate.decrypt;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.io.output.ProxyOutputStream;

/**
 * Stops writing past a byte limit. Decrypted or decompressed content can be far larger than what
 * came in (a compressed layer is a zip bomb in waiting), so every layer written to disk goes through one.
 * Commons IO's proxy counts every write through {@link #beforeWrite}; its own bounded streams only cut input.
 */
final class LimitedOutputStream extends ProxyOutputStream {

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
    protected void beforeWrite(int n) throws IOException {
        written += n;
        if (written > limit) {
            throw new LimitExceededException(limit);
        }
    }
}

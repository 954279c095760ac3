package io.mailgate.decrypt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns bare LF into CRLF. Signatures over MIME are computed on the canonical CRLF form, while
 * files on disk (and OpenSSL's own output) often have bare LF; CRLF already present is kept as is.
 *
 * <p>Reads the underlying stream in chunks into a buffer of its own: the digest reads it in blocks, and a byte at
 * a time through a (synchronized) BufferedInputStream was 8% of a worker's CPU (issue 13).
 */
final class CanonicalLineEndingsInputStream extends FilterInputStream {

    private final byte[] chunk = new byte[16 * 1024];
    private int position;
    private int limit;
    private int previous = -1;
    private boolean pendingLf;

    CanonicalLineEndingsInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            previous = '\n';
            return '\n';
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int b = chunk[position++] & 0xff;
        if (b == '\n' && previous != '\r') {
            pendingLf = true;
            previous = '\r';
            return '\r';
        }
        previous = b;
        return b;
    }

    @Override
    public int read(byte[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int count = 0;
        while (count < len) {
            if (pendingLf) {
                pendingLf = false;
                previous = '\n';
                buffer[off + count++] = '\n';
                continue;
            }
            // A short read is allowed: hand over what is here rather than wait for more.
            if (position == limit && (count > 0 || !fill())) {
                break;
            }
            byte b = chunk[position++];
            if (b == '\n' && previous != '\r') {
                pendingLf = true;
                previous = '\r';
                buffer[off + count++] = '\r';
            } else {
                previous = b & 0xff;
                buffer[off + count++] = b;
            }
        }
        return count == 0 ? -1 : count;
    }

    /** @return false at the end of the underlying stream */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(chunk, 0, chunk.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    @Override
    public int available() throws IOException {
        return limit - position;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() != -1) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {}

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}

package io.mailgate.decrypt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns bare LF into CRLF. Signatures over MIME are computed on the canonical CRLF form, while
 * files on disk (and OpenSSL's own output) often have bare LF; CRLF already present is kept as is.
 */
final class CanonicalLineEndingsInputStream extends FilterInputStream {

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
        int b = in.read();
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
            int b = read();
            if (b == -1) {
                return count == 0 ? -1 : count;
            }
            buffer[off + count++] = (byte) b;
        }
        return count;
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
}

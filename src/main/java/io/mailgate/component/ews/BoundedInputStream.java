package io.mailgate.component.ews;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails once more than a set number of bytes has been read, so a hostile server cannot make us read forever. */
final class BoundedInputStream extends FilterInputStream {

    private final long max;
    private long count;

    BoundedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) {
        count += n;
        if (count > max) {
            throw new EwsException(EwsException.Code.PROTOCOL_ERROR, "the server's response is larger than " + max + " bytes");
        }
    }
}

package io.mailgate.parse;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts decoded bytes across all parts of one message and stops reading once
 * {@link ParseLimits#maxDecodedBytes()} is passed. The violation travels as an IOException through
 * Jakarta Mail's and the JDK's stream code, and is turned back into a MalformedEmailException by
 * whoever started the read.
 */
final class DecodedBudget {

    static final class ExceededException extends IOException {
        private static final long serialVersionUID = 1L;

        ExceededException(long limit) {
            super("decoded content larger than " + limit + " bytes");
        }

        MalformedEmailException toMalformed() {
            return new MalformedEmailException(MalformedEmailException.Reason.DECODED_TOO_LARGE, getMessage(), this);
        }
    }

    private final long limit;
    private long used;

    DecodedBudget(long limit) {
        this.limit = limit;
    }

    InputStream meter(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    charge(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    charge(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                // skipping still decodes; count it like a read
                long skipped = super.skip(n);
                charge(skipped);
                return skipped;
            }
        };
    }

    void charge(long n) throws ExceededException {
        used += n;
        if (used > limit) {
            throw new ExceededException(limit);
        }
    }
}

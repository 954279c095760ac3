package io.mailgate.component.ews;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes base64 text that arrives in chunks (StAX text events) straight into an output stream, so a large
 * MimeContent never sits in memory whole. Whitespace is skipped; a quartet split across chunks is carried over.
 */
final class Base64StreamDecoder {

    private static final int BLOCK = 16 * 1024; // a multiple of 4

    private final OutputStream out;
    private final long maxBytes;
    private final byte[] pending = new byte[BLOCK];
    private int pendingLength;
    private long written;

    Base64StreamDecoder(OutputStream out, long maxBytes) {
        this.out = out;
        this.maxBytes = maxBytes;
    }

    void write(char[] chars, int start, int length) throws IOException {
        for (int i = start; i < start + length; i++) {
            char c = chars[i];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                continue;
            }
            if (c > 0x7f) {
                throw new EwsException(EwsException.Code.PROTOCOL_ERROR, "MimeContent is not base64");
            }
            pending[pendingLength++] = (byte) c;
            if (pendingLength == BLOCK) {
                flushBlock(BLOCK);
            }
        }
    }

    /** Decodes what is left; the total must be whole quartets (with padding), as base64 is. */
    long finish() throws IOException {
        if (pendingLength % 4 != 0) {
            throw new EwsException(
                    EwsException.Code.PROTOCOL_ERROR, "MimeContent ends in the middle of a base64 quartet");
        }
        flushBlock(pendingLength);
        return written;
    }

    private void flushBlock(int length) throws IOException {
        if (length == 0) {
            return;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(length == pending.length ? pending : Arrays.copyOf(pending, length));
        } catch (IllegalArgumentException e) {
            throw new EwsException(
                    EwsException.Code.PROTOCOL_ERROR, "MimeContent is not valid base64: " + e.getMessage());
        }
        written += decoded.length;
        if (written > maxBytes) {
            throw new EwsException(
                    EwsException.Code.MESSAGE_TOO_LARGE,
                    "the message is larger than maxMessageSize (" + maxBytes + " bytes)");
        }
        out.write(decoded);
        pendingLength = 0;
    }
}

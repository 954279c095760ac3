package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Decodes base64 as mail clients do: characters outside the alphabet (line breaks, stray spaces)
 * are skipped, padding ends a quantum but not the stream (some senders concatenate encoded blocks),
 * and input cut off mid-quantum yields every complete byte instead of an error. Both Jakarta's and the
 * JDK's decoders throw on that last case, which is exactly what a truncated phishing sample looks like.
 * Decodes a buffer at a time through a lookup table, which also makes it faster than either.
 */
final class LenientBase64InputStream extends InputStream {

    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private final InputStream in;
    private final byte[] encoded;
    private final byte[] decoded; // as long as encoded: 6 bits in never make more than 8 bits out
    private int position;
    private int limit;
    private int bits; // undecoded bits, right-aligned
    private int bitCount; // how many of them, always < 8 between input characters
    private boolean endOfInput;

    LenientBase64InputStream(InputStream in) throws IOException {
        this.in = in;
        this.encoded = ReadBuffers.forRestOf(in, 48 * 1024);
        this.decoded = new byte[encoded.length];
    }

    @Override
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return decoded[position++] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position == limit && !fill()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(decoded, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return limit - position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Decodes the next buffer of input; false at the end (leftover bits of a cut quantum are dropped). */
    private boolean fill() throws IOException {
        position = 0;
        limit = 0;
        while (limit == 0 && !endOfInput) {
            int n = in.read(encoded);
            if (n < 0) {
                endOfInput = true;
                break;
            }
            int i = 0;
            while (i < n) {
                // Fast path: four alphabet characters on a quantum boundary make three bytes (the usual case,
                // between line breaks); anything else goes through the character loop below.
                if (bitCount == 0 && i + 4 <= n) {
                    int q0 = VALUES[encoded[i] & 0xFF];
                    int q1 = VALUES[encoded[i + 1] & 0xFF];
                    int q2 = VALUES[encoded[i + 2] & 0xFF];
                    int q3 = VALUES[encoded[i + 3] & 0xFF];
                    if ((q0 | q1 | q2 | q3) >= 0) {
                        int quantum = q0 << 18 | q1 << 12 | q2 << 6 | q3;
                        decoded[limit++] = (byte) (quantum >> 16);
                        decoded[limit++] = (byte) (quantum >> 8);
                        decoded[limit++] = (byte) quantum;
                        i += 4;
                        continue;
                    }
                }
                byte c = encoded[i++];
                if (c == '=') {
                    bits = 0; // padding completes the quantum: the leftover bits are zero fill
                    bitCount = 0;
                    continue;
                }
                int value = VALUES[c & 0xFF];
                if (value < 0) {
                    continue;
                }
                bits = (bits << 6) | value;
                bitCount += 6;
                if (bitCount >= 8) {
                    bitCount -= 8;
                    decoded[limit++] = (byte) (bits >> bitCount);
                    bits &= (1 << bitCount) - 1;
                }
            }
        }
        return limit > 0;
    }
}

package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LenientBase64InputStreamTest {

    @Test
    void decodesWhatTheJdkEncodes() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int size : new int[] {0, 1, 2, 3, 4, 57, 100_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertThat(decode(Base64.getMimeEncoder().encode(data))).isEqualTo(data);
        }
    }

    @Test
    void quantaSplitAcrossLineBreaksAndBuffersDecodeTheSame() throws IOException {
        // Lines of 73 characters: most quanta start mid-line, so the four-at-a-time path and the character loop
        // take turns; 200 kB crosses the stream's 48 kB buffer several times.
        byte[] data = new byte[150_000];
        new SplittableRandom(11).nextBytes(data);
        String encoded = Base64.getEncoder().encodeToString(data);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < encoded.length(); i += 73) {
            lines.append(encoded, i, Math.min(encoded.length(), i + 73)).append(i % 2 == 0 ? "\r\n" : " \n");
        }
        assertThat(decode(ascii(lines.toString()))).isEqualTo(data);
    }

    @Test
    void aStreamThatCannotTellItsLengthIsReadInSmallBuffersAlike() throws IOException {
        byte[] data = new byte[20_000];
        new SplittableRandom(13).nextBytes(data);
        byte[] encoded = Base64.getMimeEncoder().encode(data);
        // available() says 1: the buffers are ReadBuffers' 1 kB minimum, so the input crosses them many times
        ByteArrayInputStream underreporting = new ByteArrayInputStream(encoded) {
            @Override
            public synchronized int available() {
                return 1;
            }
        };
        try (LenientBase64InputStream in = new LenientBase64InputStream(underreporting)) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void skipsStrayCharactersAndToleratesCutOffAndConcatenatedInput() throws IOException {
        assertThat(decode(ascii(" QUJD\r\nREVG \t"))).isEqualTo(ascii("ABCDEF"));
        assertThat(decode(ascii("QUJDREVGR"))).isEqualTo(ascii("ABCDEF")); // one dangling character
        assertThat(decode(ascii("QUJDREU"))).isEqualTo(ascii("ABCDE")); // padding missing
        assertThat(decode(ascii("QQ==QkM="))).isEqualTo(ascii("ABC")); // two encoded blocks
    }

    private static byte[] decode(byte[] encoded) throws IOException {
        try (var in = new LenientBase64InputStream(new ByteArrayInputStream(encoded))) {
            return in.readAllBytes();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

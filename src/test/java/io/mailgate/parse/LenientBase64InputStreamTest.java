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

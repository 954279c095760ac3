package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedFileRangeTest {

    @TempDir
    Path dir;

    @Test
    void rangesReadTheirOwnBytesInAnyBlockSize() throws IOException {
        byte[] data = new byte[300_000];
        new SplittableRandom(3).nextBytes(data);
        Path file = Files.write(dir.resolve("data"), data);
        SplittableRandom random = new SplittableRandom(5);
        try (SharedFileRange root = SharedFileRange.open(file)) {
            assertThat(readMixed(root, random)).isEqualTo(data);
            for (int i = 0; i < 50; i++) {
                int from = random.nextInt(data.length);
                int to = from + random.nextInt(data.length - from + 1);
                SharedFileRange range = root.newStream(from, to);
                assertThat(readMixed(range, random)).isEqualTo(Arrays.copyOfRange(data, from, to));
                // a range of a range is relative to it, and -1 means its end
                int inner = (to - from) / 3;
                assertThat(range.newStream(inner, -1).readAllBytes())
                        .isEqualTo(Arrays.copyOfRange(data, from + inner, to));
            }
        }
    }

    @Test
    void marksResetsSkipsAndReportsPositionsRelativeToTheRange() throws IOException {
        Path file = Files.writeString(dir.resolve("text"), "0123456789abcdef");
        try (SharedFileRange root = SharedFileRange.open(file)) {
            SharedFileRange range = root.newStream(4, 12); // "456789ab"
            assertThat(range.read()).isEqualTo('4');
            range.mark(100);
            assertThat(range.skip(3)).isEqualTo(3);
            assertThat(range.getPosition()).isEqualTo(4);
            assertThat(range.read()).isEqualTo('8');
            range.reset();
            assertThat(range.getPosition()).isEqualTo(1);
            assertThat(new String(range.readAllBytes())).isEqualTo("56789ab");
            assertThat(range.read()).isEqualTo(-1);
            assertThat(range.skip(10)).isZero();
            assertThat(root.newStream(20, -1).read())
                    .as("a range past the end is empty")
                    .isEqualTo(-1);
        }
    }

    @Test
    void closingTheRootClosesTheFileForEveryRange() throws IOException {
        Path file = Files.writeString(dir.resolve("text"), "0123456789");
        SharedFileRange root = SharedFileRange.open(file);
        InputStream range = root.newStream(2, -1);
        root.close();
        assertThatThrownBy(range::read).isInstanceOf(IOException.class);
    }

    /** Reads to the end in blocks of random sizes, single bytes among them and blocks larger than the buffer. */
    private static byte[] readMixed(InputStream in, SplittableRandom random) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[200_000];
        while (true) {
            int size = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(random.nextBoolean() ? 100 : block.length);
            if (size == 1) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
                continue;
            }
            int n = in.read(block, 0, size);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(block, 0, n);
        }
    }
}

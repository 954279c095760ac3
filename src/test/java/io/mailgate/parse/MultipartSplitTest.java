package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.SharedFileInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MultipartSplit} must split exactly as Jakarta Mail's {@code MimeMultipart.parse()} does: the same
 * parts, byte for byte, and the same verdict on the close delimiter. Compared on random multiparts built from
 * the lines that make the rules matter: delimiters with trailing blanks or text, close delimiters with text
 * after them, rulers of dashes, header blocks that never end, every kind of line end, no final line end.
 */
class MultipartSplitTest {

    @TempDir
    Path dir;

    @Test
    void splitsRandomMultipartsExactlyAsJakartaMailDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        Path file = dir.resolve("multipart");
        int withParts = 0;
        for (int round = 0; round < 20_000; round++) {
            String boundary = BOUNDARIES[random.nextInt(BOUNDARIES.length)];
            boolean declared = random.nextInt(4) != 0;
            Files.write(file, randomContent(random, boundary));
            Split jakarta = jakarta(file, declared ? boundary : null);
            Split ours = ours(file, declared ? boundary : null);
            String context = "round " + round + ", boundary " + (declared ? boundary : "guessed") + ":\n"
                    + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(ours.parts()).as(context).hasSameSizeAs(jakarta.parts());
            for (int i = 0; i < ours.parts().size(); i++) {
                assertThat(ours.parts().get(i))
                        .as(context + "\npart " + i)
                        .isEqualTo(jakarta.parts().get(i));
            }
            if (!jakarta.parts().isEmpty()) {
                // with no parts at all Jakarta never gets to deciding, and leaves "complete" at its default
                assertThat(ours.complete()).as(context).isEqualTo(jakarta.complete());
                withParts++;
            }
        }
        assertThat(withParts).as("rounds that had parts").isGreaterThan(10_000);
    }

    @Test
    void findsDelimitersAcrossBufferBoundariesInLongContent() throws Exception {
        // 300 kB parts: the reader's 64 kB buffer is refilled many times, and a CRLF may straddle a refill
        StringBuilder content = new StringBuilder("preamble\r\n--b\r\n");
        String line = "A".repeat(75) + "\r\n";
        for (int part = 0; part < 3; part++) {
            content.append("Content-Type: text/plain\r\n\r\n");
            for (int i = 0; i < 4000 + part; i++) {
                content.append(line);
            }
            content.append(part == 2 ? "--b--\r\n" : "--b\r\n");
        }
        Path file = dir.resolve("long");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);

        Split ours = ours(file, "b");
        Split jakarta = jakarta(file, "b");

        assertThat(ours.parts()).hasSize(3);
        assertThat(jakarta.parts()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(ours.parts().get(i).length)
                    .as("part " + i)
                    .isEqualTo(28 + 77 * (4000 + i) - 2); // the last CRLF belongs to the delimiter
            assertThat(Arrays.equals(ours.parts().get(i), jakarta.parts().get(i)))
                    .as("part " + i)
                    .isTrue();
        }
        assertThat(ours.complete()).isTrue();
    }

    private static final String[] BOUNDARIES = {"b", "=_Part_1_2.3", "----=_NextPart_000_0001", "x y"};

    private static byte[] randomContent(SplittableRandom random, String boundary) {
        String delimiter = "--" + boundary;
        String[] lines = {
            delimiter,
            delimiter,
            delimiter,
            delimiter + "--",
            delimiter + " ",
            delimiter + "\t ",
            delimiter + "x",
            delimiter + "-",
            delimiter + "--x",
            delimiter + "-- ",
            " " + delimiter,
            "",
            "",
            "",
            " ",
            "Content-Type: text/plain",
            "X-Header: value",
            "hello world",
            "----",
            "------------",
            "--",
            "---",
            "--other",
            delimiter.substring(0, delimiter.length() - 1),
            "=?utf-8?q?caf=C3=A9?=",
            "\u00e9t\u00e9"
        };
        String[] ends = {"\r\n", "\r\n", "\r\n", "\n", "\n", "\r", "\r\r\n", "\n\r"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = random.nextInt(25);
        for (int i = 0; i < count; i++) {
            out.writeBytes(lines[random.nextInt(lines.length)].getBytes(StandardCharsets.ISO_8859_1));
            if (i + 1 < count || random.nextBoolean()) {
                out.writeBytes(ends[random.nextInt(ends.length)].getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }

    record Split(List<byte[]> parts, boolean complete) {
        @Override
        public List<byte[]> parts() {
            return parts;
        }
    }

    private static Split ours(Path file, String boundary) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        try (SharedFileRange content = SharedFileRange.open(file)) {
            boolean complete = MultipartSplit.split(content, boundary, (start, end) -> {
                try (InputStream part = content.newStream(start, end)) {
                    parts.add(part.readAllBytes());
                }
            });
            return new Split(parts, complete);
        }
    }

    private static Split jakarta(Path file, String boundary) throws Exception {
        String type = boundary == null ? "multipart/mixed" : "multipart/mixed; boundary=\"" + boundary + "\"";
        Capturing multipart = new Capturing(new FileSource(file, type));
        multipart.getCount();
        return new Split(multipart.parts, multipart.isComplete());
    }

    /** Jakarta's split with the settings LimitedMultipart uses, recording each part's bytes. */
    private static final class Capturing extends MimeMultipart {
        final List<byte[]> parts = new ArrayList<>();

        Capturing(DataSource source) throws MessagingException {
            super(source);
        }

        @Override
        protected void initializeProperties() {
            super.initializeProperties();
            ignoreMissingEndBoundary = true;
            ignoreMissingBoundaryParameter = true;
            allowEmpty = true;
        }

        @Override
        protected MimeBodyPart createMimeBodyPart(InputStream in) throws MessagingException {
            try {
                parts.add(in.readAllBytes());
            } catch (IOException e) {
                throw new MessagingException("cannot read a part", e);
            }
            return new MimeBodyPart();
        }
    }

    private record FileSource(Path file, String contentType) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            return new SharedFileInputStream(file.toFile());
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return file.getFileName().toString();
        }
    }
}

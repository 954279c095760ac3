package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartSplitterTest {

    @TempDir
    Path dir;

    @Test
    void partsExcludeTheLineBreakBeforeTheDelimiter() throws Exception {
        String body = "preamble\r\n--b\r\nA: 1\r\n\r\none\r\n--b  \r\ntwo\r\n\r\n--b--\r\nepilogue\r\n";

        assertThat(parts(body, "b")).containsExactly("A: 1\r\n\r\none", "two\r\n");
    }

    @Test
    void bareLineFeedsAndLookalikeBoundaries() throws Exception {
        String body = "--b\nx\n--bb\n--b-not\n--b\ny\n--b--\n";

        assertThat(parts(body, "b")).containsExactly("x\n--bb\n--b-not", "y");
    }

    @Test
    void truncatedMultipartKeepsCompleteParts() throws Exception {
        assertThat(parts("--b\r\none\r\n--b\r\ntwo, cut off", "b")).containsExactly("one");
    }

    @Test
    void canonicalLineEndingsAddCrOnlyWhereMissing() throws Exception {
        byte[] input = "a\nb\r\nc\n\nd".getBytes(StandardCharsets.ISO_8859_1);

        byte[] output = new CanonicalLineEndingsInputStream(new ByteArrayInputStream(input)).readAllBytes();

        assertThat(new String(output, StandardCharsets.ISO_8859_1)).isEqualTo("a\r\nb\r\nc\r\n\r\nd");
    }

    @Test
    void canonicalLineEndingsHoldAcrossTheStreamsBuffer() throws Exception {
        // A CR at the end of one 16 kB chunk and its LF at the start of the next must stay one CRLF; bare LFs
        // anywhere become CRLF; read in odd-sized blocks and single bytes alike.
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 100_000; i++) {
            text.append("line ").append(i).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        text.setLength(16 * 1024 - 1);
        text.append("\r\nafter the boundary\nend\n");
        for (int i = 0; i < 20_000; i++) {
            text.append(i % 7 == 0 ? "\n" : "x");
        }
        byte[] input = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        String expected = text.toString().replaceAll("(?<!\r)\n", "\r\n");

        var in = new CanonicalLineEndingsInputStream(new ByteArrayInputStream(input));
        var out = new java.io.ByteArrayOutputStream();
        byte[] block = new byte[1000];
        for (int round = 0; ; round++) {
            if (round % 5 == 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                out.write(b);
            } else {
                int n = in.read(block, 0, 1 + round % block.length);
                if (n < 0) {
                    break;
                }
                out.write(block, 0, n);
            }
        }

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
    }

    @Test
    void headerFieldsKeepTheirBytes() throws Exception {
        Path file = dir.resolve("h.eml");
        Files.writeString(file, "Subject: one\r\n two\r\nContent-Type: text/plain;\n charset=utf-8\n\nbody");

        MimeHeaders headers = MimeHeaders.read(file, 1000);

        assertThat(headers.fields()).extracting(MimeHeaders.Field::name).containsExactly("Subject", "Content-Type");
        assertThat(new String(headers.fields().get(0).raw(), StandardCharsets.ISO_8859_1))
                .isEqualTo("Subject: one\r\n two\r\n");
        assertThat(headers.get("subject")).isEqualTo("one two");
        assertThat(headers.contentType().getParameter("charset")).isEqualTo("utf-8");
        assertThat(headers.bodyOffset()).isEqualTo(Files.size(file) - 4);
        assertThat(MimeHeaders.read(file, 10)).isNull();
    }

    private List<String> parts(String body, String boundary) throws Exception {
        Path file = dir.resolve("m.eml");
        Files.writeString(file, body, StandardCharsets.ISO_8859_1);
        byte[] all = Files.readAllBytes(file);
        return MultipartSplitter.split(file, 0, boundary).stream()
                .map(p -> new String(all, (int) p.start(), (int) (p.end() - p.start()), StandardCharsets.ISO_8859_1))
                .toList();
    }
}

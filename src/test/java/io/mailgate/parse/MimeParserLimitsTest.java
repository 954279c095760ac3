package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailgate.parse.MalformedEmailException.Reason;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MimeParserLimitsTest {

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    @Test
    void tenThousandNestedMultipartsFailFastAsTooDeep() throws Exception {
        Path bomb = nested(10_000);
        parser.parse(Fixtures.email("bare-lf.eml")); // load the classes first: we time the parse, not the JVM

        long start = System.nanoTime();
        MalformedEmailException e = catchThrowableOfType(() -> parser.parse(bomb), MalformedEmailException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
        assertThat(e.getMessage()).isEqualTo("MIME nesting deeper than 20 levels");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void nestingUpToTheLimitIsFine() throws Exception {
        ParsedEmail email = parser.parse(nested(20));
        assertThat(email.textBody()).isEqualTo("innermost");

        assertThatThrownBy(() -> parser.parse(nested(21)))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP));
    }

    @Test
    void tooManyPartsAreRefusedWhileSplitting() throws IOException {
        Path file = dir.resolve("many.eml");
        StringBuilder message = new StringBuilder(headers("multipart/mixed; boundary=b"));
        for (int i = 0; i < 5_000; i++) {
            message.append("--b\r\nContent-Type: text/plain\r\n\r\npart ")
                    .append(i)
                    .append("\r\n");
        }
        message.append("--b--\r\n");
        Files.writeString(file, message, StandardCharsets.US_ASCII);

        MimeParser strict = new MimeParser(new ParseLimits(20, 100, 64 * 1024, 1_000_000, 1_000_000));
        assertThatThrownBy(() -> strict.parse(file)).isInstanceOfSatisfying(MalformedEmailException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PARTS);
            assertThat(e.getMessage()).isEqualTo("more than 100 MIME parts");
        });
    }

    @Test
    void oversizedHeaderBlockOfMessageOrPart() throws IOException {
        String longValue = "x".repeat(70_000);
        Path message = dir.resolve("big-header.eml");
        Files.writeString(message, "From: a@example.com\r\nX-Big: " + longValue + "\r\n\r\nbody\r\n");
        Path part = dir.resolve("big-part-header.eml");
        Files.writeString(
                part,
                headers("multipart/mixed; boundary=b") + "--b\r\nContent-Type: text/plain\r\nX-Big: " + longValue
                        + "\r\n\r\nbody\r\n--b--\r\n");

        MimeParser strict = new MimeParser(new ParseLimits(20, 100, 64 * 1024, 1_000_000, 1_000_000));
        for (Path file : new Path[] {message, part}) {
            assertThatThrownBy(() -> strict.parse(file)).isInstanceOfSatisfying(MalformedEmailException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.HEADER_TOO_LARGE);
                assertThat(e.getMessage()).isEqualTo("header block larger than 65536 bytes");
            });
        }
    }

    @Test
    void decodedSizeLimitCoversAllParts() throws Exception {
        Path file = dir.resolve("decoded.eml");
        String base64 = Base64.getMimeEncoder().encodeToString(new byte[60_000]);
        Files.writeString(
                file,
                headers("multipart/mixed; boundary=b")
                        + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + base64
                        + "\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + base64
                        + "\r\n--b--\r\n");

        MimeParser strict = new MimeParser(new ParseLimits(20, 100, 64 * 1024, 1_000_000, 100_000));
        assertThatThrownBy(() -> strict.parse(file)).isInstanceOfSatisfying(MalformedEmailException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.DECODED_TOO_LARGE);
            assertThat(e.getMessage()).isEqualTo("decoded content larger than 100000 bytes");
        });
        assertThat(new MimeParser(ParseLimits.defaults()).parse(file).attachments())
                .extracting(Attachment::size)
                .containsExactly(60_000L, 60_000L);
    }

    @Test
    void longBodiesAreCutAtMaxTextChars() throws Exception {
        Path file = dir.resolve("long.eml");
        Files.writeString(file, headers("text/plain; charset=utf-8") + "é".repeat(5_000) + "\r\n");

        ParsedEmail email = new MimeParser(new ParseLimits(20, 100, 64 * 1024, 1_000, 1_000_000)).parse(file);

        assertThat(email.textBody()).hasSize(1_000).isEqualTo("é".repeat(1_000));
        assertThat(email.truncated()).isTrue();
    }

    @Test
    void bytesThatAreNotAnEmailAreNotMime() throws IOException {
        Path empty = Files.write(dir.resolve("empty.eml"), new byte[0]);
        Path binary =
                Files.write(dir.resolve("binary.eml"), new byte[] {'%', 'P', 'D', 'F', '-', '1', 0, 1, 2, '\n', 'x'});
        Path noHeaders = Files.writeString(dir.resolve("no-headers.eml"), "\r\nJust a body\r\n");

        for (Path file : new Path[] {empty, binary, noHeaders}) {
            assertThatThrownBy(() -> parser.parse(file))
                    .isInstanceOfSatisfying(
                            MalformedEmailException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_MIME));
        }
    }

    @Test
    void missingFileIsUnreadable() {
        assertThatThrownBy(() -> parser.parse(dir.resolve("nope.eml")))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void theWalkEnforcesDepthAndPartsEvenWithoutThePreScan() throws Exception {
        ParseLimits limits = new ParseLimits(5, 10, 64 * 1024, 1_000, 1_000_000);
        assertThat(walk(nested(6), limits))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP));
        assertThat(walk(nested(5), limits)).isNull();

        limits = new ParseLimits(5, 3, 64 * 1024, 1_000, 1_000_000);

        Path file = dir.resolve("four.eml");
        Files.writeString(
                file,
                headers("multipart/mixed; boundary=b") + "--b\r\n\r\n1\r\n--b\r\n\r\n2\r\n"
                        + "--b\r\n\r\n3\r\n--b\r\n\r\n4\r\n--b--\r\n");
        assertThat(walk(file, limits))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PARTS));
    }

    /** Runs only the MIME walk (no StructureScanner) and returns what it threw, or null. */
    private static Throwable walk(Path file, ParseLimits limits) throws Exception {
        HeaderBlock headers;
        try (var in = Files.newInputStream(file)) {
            headers = HeaderBlockReader.readMessage(in, limits.maxHeaderBytes());
        }
        try (var stream = new SharedFileInputStream(file.toFile())) {
            var message = new MimeMessage(Session.getInstance(new Properties()), stream);
            return Assertions.catchThrowable(() -> new MimeWalker(limits).walk(message, headers));
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ParseLimits(0, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDepth must be positive, was 0");
    }

    /** {@code levels} multiparts inside each other, each with its own boundary, a text part innermost. */
    private Path nested(int levels) throws IOException {
        Path file = dir.resolve("nested-" + levels + ".eml");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write(headers("multipart/mixed; boundary=\"level-0\""));
            for (int i = 1; i < levels; i++) {
                // every other level in obsolete "name :" syntax, which Jakarta Mail accepts too
                String field = i % 2 == 0 ? "Content-Type: " : "content-type :";
                out.write("--level-" + (i - 1) + "\r\n" + field + "multipart/mixed; boundary=\"level-" + i
                        + "\"\r\n\r\n");
            }
            out.write("--level-" + (levels - 1) + "\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n");
            for (int i = levels - 1; i >= 0; i--) {
                out.write("--level-" + i + "--\r\n");
            }
        }
        return file;
    }

    private static String headers(String contentType) {
        return "From: a@example.com\r\nTo: b@example.com\r\nSubject: limits\r\nMIME-Version: 1.0\r\nContent-Type: "
                + contentType + "\r\n\r\n";
    }
}

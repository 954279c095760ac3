package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailgate.parse.MalformedEmailException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The structure scan on its own: the parser's walk enforces the same limits later, so a scan that missed every
 * delimiter would pass the parser's tests; these fail it. Limits: depth 3, 4 parts.
 */
class StructureScannerTest {

    private final StructureScanner scanner = new StructureScanner(new ParseLimits(3, 4, 64 * 1024, 1000, 1 << 20));

    @Test
    void countsTheDelimitersOfAMultipartAcrossBufferBoundariesAndLineEnds() {
        String body = "A".repeat(76) + "\n";
        String big = body.repeat(2000); // 154 kB: delimiters after it are in a later read of the stream
        String fourParts = mixed("b1", "\r\n", big, "two", "three", "four");
        assertThatCode(() -> scan(fourParts)).doesNotThrowAnyException();

        String fiveParts = mixed("b1", "\n", big, "two", "three", "four", "five");
        assertThat(reason(fiveParts)).isEqualTo(Reason.TOO_MANY_PARTS);

        String bareCr = mixed("b1", "\r", "one", big, "three", "four", "five");
        assertThat(reason(bareCr)).isEqualTo(Reason.TOO_MANY_PARTS);
    }

    @Test
    void aCloseDelimiterEndsTheCountAndTrailingSpaceIsNoDifference() {
        String closed = "Content-Type: multipart/mixed; boundary=x\n\n--x  \n\none\n--x\t\n\ntwo\n--x--\n"
                + "--x\n\n--x\n\n--x\n\n--x\n\n"; // the epilogue: no longer a delimiter
        assertThatCode(() -> scan(closed)).doesNotThrowAnyException();
        String notADelimiter = "Content-Type: multipart/mixed; boundary=x\n\n--x\n\n--xy\n--xy\n--xy\n--xy\n--x--\n";
        assertThatCode(() -> scan(notADelimiter)).doesNotThrowAnyException();
    }

    @Test
    void nestedMultipartsDeeperThanTheLimitFailAtOnce() {
        assertThatCode(() -> scan(nested(3))).doesNotThrowAnyException();
        assertThat(reason(nested(4))).isEqualTo(Reason.TOO_DEEP);
        // a multipart without a boundary parameter takes its first "--" line as its boundary
        String guessed = "Content-Type: multipart/mixed\n\npreamble\n--g\nContent-Type: multipart/mixed\n\n"
                + "--h\nContent-Type: multipart/mixed\n\n--i\nContent-Type: multipart/mixed\n\n--j\n\nx\n";
        assertThat(reason(guessed)).isEqualTo(Reason.TOO_DEEP);
    }

    @Test
    void attachedMessagesAreOneLevelDeeperUnlessEncoded() {
        String message = "Content-Type: message/rfc822\n\n";
        assertThat(reason(message.repeat(4) + "Subject: innermost\n\nbody\n")).isEqualTo(Reason.TOO_DEEP);
        assertThatCode(() -> scan(message.repeat(3) + "Subject: innermost\n\nbody\n"))
                .doesNotThrowAnyException();
        String encoded = "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n";
        assertThatCode(() -> scan(encoded + message.repeat(4))).doesNotThrowAnyException();
    }

    @Test
    void linesOfASinglePartBodyAreNotStructure() {
        String single =
                "Content-Type: text/plain\n\n" + "--x\nContent-Type: multipart/mixed; boundary=x\n\n".repeat(10);
        assertThatCode(() -> scan(single)).doesNotThrowAnyException();
    }

    private static String mixed(String boundary, String eol, String... parts) {
        StringBuilder m = new StringBuilder("Content-Type: multipart/mixed; boundary=\"" + boundary + "\"" + eol + eol);
        for (String part : parts) {
            m.append("--").append(boundary).append(eol).append(eol).append(part).append(eol);
        }
        return m.append("--").append(boundary).append("--").append(eol).toString();
    }

    /** Multiparts nested {@code levels} deep, each the only part of the one around it. */
    private static String nested(int levels) {
        StringBuilder m = new StringBuilder();
        for (int level = 0; level < levels; level++) {
            m.append("Content-Type: multipart/mixed; boundary=b")
                    .append(level)
                    .append("\n\n--b")
                    .append(level)
                    .append('\n');
        }
        return m.append("\ninnermost\n").toString();
    }

    private void scan(String message) throws Exception {
        scanner.scan(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private Reason reason(String message) {
        MalformedEmailException e = catchThrowableOfType(() -> scan(message), MalformedEmailException.class);
        assertThat(e).as("the scan rejects it").isNotNull();
        return e.reason();
    }
}

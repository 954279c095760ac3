package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ~50 MB message with one large base64 attachment, streamed from disk in both directions. */
class LargeMessageTest {

    private static final int ATTACHMENT_BYTES = 37 * 1024 * 1024; // base64 with CRLF every 76 chars: ~50 MB

    @TempDir
    static Path dir;

    private static Path file;
    private static String expectedSha256;

    @BeforeAll
    static void writeMessage() throws Exception {
        file = dir.resolve("large.eml");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            raw.write(
                    ("From: big@example.com\r\nTo: soc@example.com\r\nSubject: large\r\nMessage-ID: <large@example.com>\r\n"
                                    + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big-boundary\"\r\n\r\n"
                                    + "--big-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nsee attachment\r\n"
                                    + "--big-boundary\r\nContent-Type: application/octet-stream\r\n"
                                    + "Content-Disposition: attachment; filename=\"dump.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            OutputStream base64 = Base64.getMimeEncoder().wrap(new NonClosing(raw));
            SplittableRandom random = new SplittableRandom(42);
            byte[] chunk = new byte[1 << 16];
            for (int written = 0; written < ATTACHMENT_BYTES; written += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                int n = Math.min(chunk.length, ATTACHMENT_BYTES - written);
                sha256.update(chunk, 0, n);
                base64.write(chunk, 0, n);
            }
            base64.close(); // flushes the last quantum and padding, leaves raw open
            raw.write("\r\n--big-boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        expectedSha256 = HexFormat.of().formatHex(sha256.digest());
        assertThat(Files.size(file)).isGreaterThan(49L * 1024 * 1024);
    }

    @Test
    void attachmentSizeAndHashAreComputedWhileStreaming() throws Exception {
        ParsedEmail email = new MimeParser(ParseLimits.defaults()).parse(file);

        assertThat(email.textBody()).isEqualTo("see attachment");
        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("dump.bin");
            assertThat(a.size()).isEqualTo(ATTACHMENT_BYTES);
            assertThat(a.sha256()).isEqualTo(expectedSha256);
        });
        assertThat(email.rawSize()).isEqualTo(Files.size(file));
    }

    @Test
    void copyAttachmentStreamsTheExactBytes() throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        CountingSink sink = new CountingSink();
        try (OutputStream out = new DigestOutputStream(sink, sha256)) {
            new MimeParser(ParseLimits.defaults()).copyAttachment(file, 0, out);
        }
        assertThat(sink.count).isEqualTo(ATTACHMENT_BYTES);
        assertThat(HexFormat.of().formatHex(sha256.digest())).isEqualTo(expectedSha256);
    }

    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Lets the base64 encoder be closed (to write its padding) without closing the file. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

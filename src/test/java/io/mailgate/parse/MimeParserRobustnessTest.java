package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged variants of the golden messages (cut short, bytes overwritten, boundary lines and header
 * junk inserted) must parse or fail with MalformedEmailException, never with anything else.
 */
class MimeParserRobustnessTest {

    private static final List<String> FIXTURES = List.of(
            "multipart-alternative.eml",
            "attachments-rfc2231.eml",
            "iso-2022-jp.eml",
            "bare-lf.eml",
            "no-message-id.eml",
            "wrong-charset.eml",
            "nested-rfc822.eml",
            "missing-closing-boundary.eml",
            "odd-headers.eml",
            "outlook-inline-forward.eml",
            "gmail-inline-forward.eml",
            "apple-mail-attached.eml",
            "thunderbird-attached.eml",
            "ms-report-message.eml",
            "calendar-invite.eml",
            "signed-newsletter.eml",
            "outlook-msg-report.eml",
            "tnef-winmail.eml");
    private static final String[] JUNK = {
        "\r\n--mixed-1\r\n",
        "\r\n--==alt==--\r\n",
        "\r\nContent-Type: multipart/mixed; boundary=\r\n",
        "\r\nContent-Type: message/rfc822\r\n\r\n",
        "=?utf-8?B?@@@?=",
        "filename*0*=x''%ZZ;",
        "\r\n\r\n",
        "\u00ff\u00fe",
        "\r"
    };

    @TempDir
    Path dir;

    @Test
    void damagedMessagesNeverEscapeAsRuntimeExceptions() throws Exception {
        MimeParser parser = new MimeParser(ParseLimits.defaults());
        SplittableRandom random = new SplittableRandom(2026);
        int parsed = 0;
        for (String fixture : FIXTURES) {
            byte[] original = Files.readAllBytes(Fixtures.email(fixture));
            for (int round = 0; round < 20; round++) {
                byte[] damaged = damage(original, random);
                Path file = Files.write(dir.resolve("damaged.eml"), damaged);
                try {
                    parser.parse(file);
                    parsed++;
                    try (OutputStream sink = OutputStream.nullOutputStream()) {
                        parser.copyAttachment(file, 0, sink);
                    } catch (IndexOutOfBoundsException noAttachment) {
                        // fine: the damage may have removed it
                    }
                } catch (MalformedEmailException expected) {
                    assertThat(expected.reason()).isNotNull();
                    assertThat(expected.getMessage()).isNotBlank();
                } catch (Throwable unexpected) {
                    fail("%s, round %d: %s", fixture, round, unexpected, unexpected);
                }
            }
        }
        assertThat(parsed).as("most damaged messages still parse").isGreaterThan(FIXTURES.size() * 10);
    }

    /** POI is not written for hostile files either: a damaged .msg or winmail.dat stays a plain attachment. */
    @Test
    void damagedOutlookFilesStayPlainAttachments() throws Exception {
        MimeParser parser = new MimeParser(ParseLimits.defaults());
        SplittableRandom random = new SplittableRandom(9);
        int parsedAsMessage = 0;
        for (int round = 0; round < 60; round++) {
            boolean msg = round % 2 == 0;
            byte[] original = msg ? OutlookFixtures.phishMsg() : OutlookFixtures.winmailDat();
            byte[] damaged = original.clone();
            if (random.nextBoolean()) {
                damaged = Arrays.copyOf(damaged, 1 + random.nextInt(damaged.length));
            } else {
                for (int i = 0; i < 1 + random.nextInt(20); i++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
            }
            String message =
                    "From: r@example.com\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n\r\nreport\r\n"
                            + "--o\r\nContent-Type: "
                            + (msg ? "application/vnd.ms-outlook; name=a.msg" : "application/ms-tnef; name=winmail.dat")
                            + "\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                            + Base64.getMimeEncoder().encodeToString(damaged)
                            + "\r\n--o--\r\n";
            Path file = Files.writeString(dir.resolve("damaged-outlook.eml"), message);
            try {
                ParsedEmail email = parser.parse(file);
                assertThat(email.attachments()).hasSize(1);
                parsedAsMessage += email.attachedMessages().size();
            } catch (MalformedEmailException expected) {
                assertThat(expected.reason()).isNotNull();
            } catch (Throwable unexpected) {
                fail("round %d: %s", round, unexpected, unexpected);
            }
        }
        assertThat(parsedAsMessage).as("some damage is survivable").isPositive();
    }

    private static byte[] damage(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0 -> bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length));
            case 1 -> {
                for (int i = 0; i < 5; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                int at = random.nextInt(bytes.length);
                byte[] junk = JUNK[random.nextInt(JUNK.length)].getBytes(StandardCharsets.ISO_8859_1);
                byte[] longer = new byte[bytes.length + junk.length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(junk, 0, longer, at, junk.length);
                System.arraycopy(bytes, at, longer, at + junk.length, bytes.length - at);
                bytes = longer;
            }
        }
        return bytes;
    }
}

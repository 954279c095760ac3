package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailgate.parse.MalformedEmailException.Reason;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NestedMessagesTest {

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    @Test
    void tenThousandMessagesInsideMessagesAreQuarantinedFast() throws Exception {
        Path bomb = dir.resolve("rfc822-bomb.eml");
        writeRfc822Bomb(bomb, 10_000);
        parser.parse(Fixtures.email("nested-rfc822.eml")); // classes loaded: time the parse, not the JVM

        long start = System.nanoTime();
        MalformedEmailException e = catchThrowableOfType(() -> parser.parse(bomb), MalformedEmailException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP);
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void base64EncodedMessagesInsideMessagesCountAgainstTheSameDepth() throws Exception {
        MimeParser strict = new MimeParser(new ParseLimits(6, 1_000, 64 * 1024, 100_000, 10_000_000));
        // each level: a multipart (1) with the next message attached (+1) = 2 levels per message
        assertThat(strict.parse(write("ok.eml", base64Chain(3))).original().textBody())
                .isEqualTo("innermost");
        assertThatThrownBy(() -> strict.parse(write("deep.eml", base64Chain(4))))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_DEEP));
    }

    @Test
    void partsAreCountedAcrossAttachedMessages() throws Exception {
        String inner = "From: x@bad.example\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n"
                + "--i\r\n\r\na\r\n--i\r\n\r\nb\r\n--i\r\n\r\nc\r\n--i--\r\n";
        String outer = "From: r@example.com\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n"
                + "--o\r\n\r\nreport\r\n--o\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(inner.getBytes(StandardCharsets.US_ASCII)) + "\r\n--o--\r\n";
        Path file = write("parts.eml", outer);

        assertThat(new MimeParser(new ParseLimits(20, 5, 64 * 1024, 100_000, 1_000_000))
                        .parse(file)
                        .attachedMessages())
                .hasSize(1);
        assertThatThrownBy(() -> new MimeParser(new ParseLimits(20, 4, 64 * 1024, 100_000, 1_000_000)).parse(file))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PARTS));
    }

    @Test
    void decodedBytesAreCountedAcrossAttachedMessages() throws Exception {
        Path file = Fixtures.email(
                "apple-mail-attached.eml"); // report text ~90 bytes + attached message 970 + its HTML body ~300
        assertThat(new MimeParser(new ParseLimits(20, 100, 64 * 1024, 100_000, 3_000))
                        .parse(file)
                        .attachedMessages())
                .hasSize(1);
        assertThatThrownBy(() -> new MimeParser(new ParseLimits(20, 100, 64 * 1024, 100_000, 1_200)).parse(file))
                .isInstanceOfSatisfying(
                        MalformedEmailException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.DECODED_TOO_LARGE));
    }

    @Test
    void damagedMsgAndWinmailStayPlainAttachments() throws Exception {
        String message = "From: r@example.com\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n"
                + "--o\r\n\r\nsee attached\r\n"
                + "--o\r\nContent-Type: application/vnd.ms-outlook; name=broken.msg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getEncoder().encodeToString("not a compound file".getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--o\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\n\r\nnot tnef\r\n"
                + "--o\r\nContent-Type: message/rfc822; name=empty.eml\r\n\r\n"
                + "--o--\r\n";
        ParsedEmail email = parser.parse(write("damaged.eml", message));

        assertThat(email.attachments())
                .extracting(Attachment::name)
                .containsExactly("broken.msg", "winmail.dat", "empty.eml");
        assertThat(email.attachedMessages()).isEmpty();
        assertThat(email.reported()).isNull();
        assertThat(email.original()).isSameAs(email);
    }

    @Test
    void outlookMsgAttachmentIsTheReportedMessage() throws Exception {
        ParsedEmail report = parser.parse(Fixtures.email("outlook-msg-report.eml"));
        ParsedEmail original = report.original();

        assertThat(report.reported().format()).isEqualTo(AttachedMessage.Format.OUTLOOK_MSG);
        assertThat(original.from()).isEqualTo(new EmailAddress("Bank Security", "security@bank.example"));
        assertThat(original.subject()).isEqualTo("Unusual sign-in activity");
        assertThat(original.messageId()).isEqualTo("<msg-original-1@bad.example>");
        assertThat(original.attachments())
                .singleElement()
                .extracting(Attachment::name)
                .isEqualTo("statement.html");
        assertThat(original.artifacts())
                .extracting(Artifact::type, Artifact::value)
                .contains(
                        Tuple.tuple(ArtifactType.ORIGINATING_IP, "198.51.100.77"),
                        Tuple.tuple(ArtifactType.AUTH_RESULT, "dmarc=fail action=quarantine header.from=bank.example"),
                        Tuple.tuple(ArtifactType.URL, "https://secure-bank.example/login?s=1"));
    }

    @Test
    void organizationFilterDropsOwnDomainsAndRanges() throws Exception {
        Path file = Fixtures.email("outlook-inline-forward.eml");
        ArtifactFilter ours = ArtifactFilter.of(List.of("corp.example.com"), List.of("10.0.0.0/8", "fe80::/10"));

        List<String> all =
                parser.parse(file).artifacts().stream().map(Artifact::value).toList();
        ParsedEmail filtered = parser.parse(file, ours);
        List<String> kept = filtered.artifacts().stream().map(Artifact::value).toList();

        assertThat(all)
                .contains(
                        "lisa.weber@corp.example.com",
                        "https://intranet.corp.example.com/it",
                        "intranet.corp.example.com");
        assertThat(kept)
                .doesNotContain(
                        "lisa.weber@corp.example.com",
                        "security@corp.example.com",
                        "https://intranet.corp.example.com/it",
                        "intranet.corp.example.com")
                .contains("https://mailbox-quota.example/upgrade?user=lisa.weber", "no-reply@mailbox-quota.example");
        assertThat(filtered.reported().message().artifacts())
                .extracting(Artifact::value)
                .doesNotContain("lisa.weber@corp.example.com");
        // the message itself is unchanged by the filter
        assertThat(filtered.headers()).isEqualTo(parser.parse(file).headers());
    }

    @Test
    void temporaryFilesAreDeleted() throws Exception {
        File tmp = new File(System.getProperty("java.io.tmpdir"));
        long before = countParseDirs(tmp);
        parser.parse(Fixtures.email("apple-mail-attached.eml"));
        parser.parse(Fixtures.email("outlook-msg-report.eml"));
        assertThatThrownBy(() -> new MimeParser(new ParseLimits(20, 100, 64 * 1024, 100_000, 1_200))
                        .parse(Fixtures.email("apple-mail-attached.eml")))
                .isInstanceOf(MalformedEmailException.class);
        assertThat(countParseDirs(tmp)).isEqualTo(before);
    }

    @Test
    void copyAttachmentStillGivesTheAttachedMessageBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parser.copyAttachment(Fixtures.email("apple-mail-attached.eml"), 0, out);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Return-Path: <hr@payroll-update.example>\r\n");
    }

    private static long countParseDirs(File tmp) {
        String[] names = tmp.list((d, n) -> n.startsWith("mailgate-parse-"));
        return names == null ? 0 : names.length;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    /** {@code levels} messages, each a multipart with the next one attached base64-encoded. */
    private static String base64Chain(int levels) {
        String message = "From: a@example.com\r\nSubject: innermost\r\n\r\ninnermost";
        for (int i = 0; i < levels; i++) {
            message = "From: a@example.com\r\nSubject: level " + i + "\r\nContent-Type: multipart/mixed; boundary=b" + i
                    + "\r\n\r\n"
                    + "--b" + i + "\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(message.getBytes(StandardCharsets.US_ASCII))
                    + "\r\n--b" + i + "--\r\n";
        }
        return message;
    }

    static void writeRfc822Bomb(Path file, int levels) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int i = 0; i < levels; i++) {
                out.write("From: a@example.com\r\nSubject: level " + i + "\r\nContent-Type: message/rfc822\r\n\r\n");
            }
            out.write("From: a@example.com\r\nSubject: innermost\r\n\r\ninnermost\r\n");
        }
    }
}

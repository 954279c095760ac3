package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MimeParserFixturesTest {

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    @Test
    void multipartAlternativeGivesEnvelopeBodiesAndArtifacts() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("multipart-alternative.eml"));

        assertThat(email.messageId()).isEqualTo("<20261126.1234@mail.bad.example>");
        assertThat(email.inReplyTo()).isEqualTo("<first@host.example>");
        assertThat(email.references()).containsExactly("<root@host.example>", "<first@host.example>");
        assertThat(email.subject()).isEqualTo("Urgent: vérify your account");
        assertThat(email.from()).isEqualTo(new EmailAddress("Payroll Département", "Payroll@bad.example"));
        assertThat(email.to())
                .containsExactly(
                        new EmailAddress("SOC Team", "soc@example.com"),
                        new EmailAddress("Doe, Jane", "jane.doe@example.com"));
        assertThat(email.cc()).isEmpty();
        assertThat(email.replyTo()).containsExactly(new EmailAddress(null, "collect@evil.example"));
        assertThat(email.date()).isEqualTo(Instant.parse("2026-11-26T09:00:00Z"));

        assertThat(email.headers())
                .extracting(Header::name)
                .containsSubsequence(
                        "Received", "Return-Path", "Message-ID", "Subject", "X-Mailer", "X-Mailer", "Content-Type");
        assertThat(email.headers())
                .filteredOn(h -> h.name().equals("X-Mailer"))
                .extracting(Header::value)
                .containsExactly("Phisher 1.0", "Phisher 2.0");
        assertThat(email.headers())
                .filteredOn(h -> h.name().equals("Received"))
                .singleElement()
                .extracting(Header::value)
                .asString()
                .startsWith("from mx1.example.net")
                .doesNotContain("\n")
                .doesNotContain("\r")
                .contains("abc123\tfor <soc@example.com>");

        assertThat(email.textBody())
                .contains("https://login.bad.example/verify?id=42&u=xyz.")
                .doesNotContain("=3D");
        assertThat(email.htmlBody()).contains("<a href=\"http://click.bad.example/track?a=1&amp;b=2\">");
        assertThat(email.attachments()).isEmpty();
        assertThat(email.truncated()).isFalse();

        assertThat(email.artifacts())
                .extracting(Artifact::type, Artifact::value, Artifact::foundIn)
                .containsExactly(
                        tuple(ArtifactType.EMAIL_ADDRESS, "Payroll@bad.example", "header:From"),
                        tuple(ArtifactType.EMAIL_ADDRESS, "soc@example.com", "header:To"),
                        tuple(ArtifactType.EMAIL_ADDRESS, "jane.doe@example.com", "header:To"),
                        tuple(ArtifactType.EMAIL_ADDRESS, "collect@evil.example", "header:Reply-To"),
                        tuple(ArtifactType.ORIGINATING_IP, "192.0.2.10", "header:Received"),
                        tuple(ArtifactType.URL, "https://login.bad.example/verify?id=42&u=xyz", "textBody"),
                        tuple(ArtifactType.DOMAIN, "login.bad.example", "textBody"),
                        tuple(ArtifactType.IP_ADDRESS, "198.51.100.7", "textBody"),
                        tuple(ArtifactType.IP_ADDRESS, "2001:db8::1", "textBody"),
                        tuple(ArtifactType.EMAIL_ADDRESS, "helpdesk@bad.example", "textBody"),
                        tuple(ArtifactType.URL, "http://click.bad.example/track?a=1&b=2", "htmlBody"),
                        tuple(ArtifactType.DOMAIN, "click.bad.example", "htmlBody"),
                        tuple(ArtifactType.URL, "http://203.0.113.9/pixel.gif", "htmlBody"),
                        tuple(ArtifactType.IP_ADDRESS, "203.0.113.9", "htmlBody"));
    }

    @Test
    void attachmentsWithRfc2231AndRfc2047NamesInlineImagesAndCalendar() throws Exception {
        var file = Fixtures.email("attachments-rfc2231.eml");
        ParsedEmail email = parser.parse(file);

        assertThat(email.htmlBody()).contains("See attached");
        assertThat(email.textBody()).isNull();
        assertThat(email.attachments())
                .extracting(Attachment::index, Attachment::name, Attachment::contentType, Attachment::inline)
                .containsExactly(
                        tuple(0, "untitled-0.png", "image/png", true),
                        tuple(1, "Rechnung März € 100.pdf", "application/pdf", false),
                        tuple(2, "счет.exe", "application/octet-stream", false),
                        tuple(3, "untitled-3.ics", "text/calendar", false));

        byte[] png = new byte[768];
        for (int i = 0; i < png.length; i++) {
            png[i] = (byte) i;
        }
        Attachment image = email.attachments().get(0);
        assertThat(image.size()).isEqualTo(768);
        assertThat(image.sha256()).isEqualTo(hex("SHA-256", png));
        assertThat(image.sha1()).isEqualTo(hex("SHA-1", png));
        assertThat(image.md5()).isEqualTo(hex("MD5", png));

        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        parser.copyAttachment(file, 0, copied);
        assertThat(copied.toByteArray()).isEqualTo(png);

        copied.reset();
        parser.copyAttachment(file, 2, copied);
        assertThat(copied.toString(StandardCharsets.US_ASCII)).isEqualTo("MZ fake exe");

        assertThatThrownBy(() -> parser.copyAttachment(file, 4, new ByteArrayOutputStream()))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("no attachment with index 4");
        assertThatThrownBy(() -> parser.copyAttachment(file, -1, new ByteArrayOutputStream()))
                .isInstanceOf(IndexOutOfBoundsException.class);

        assertThat(email.artifacts())
                .extracting(Artifact::type, Artifact::value)
                .contains(
                        tuple(ArtifactType.FILE_NAME, "Rechnung März € 100.pdf"),
                        tuple(ArtifactType.FILE_HASH_SHA256, image.sha256()),
                        tuple(ArtifactType.FILE_NAME, "счет.exe"))
                .doesNotContain(tuple(ArtifactType.FILE_NAME, "untitled-0.png"));
        assertThat(email.artifacts())
                .filteredOn(a -> a.value().equals("счет.exe"))
                .singleElement()
                .extracting(Artifact::foundIn)
                .isEqualTo("attachment:счет.exe");
    }

    @Test
    void iso2022jpSubjectSenderAndBody() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("iso-2022-jp.eml"));

        assertThat(email.subject()).isEqualTo("会議のお知らせ");
        assertThat(email.from()).isEqualTo(new EmailAddress("山田", "yamada@example.jp"));
        assertThat(email.textBody()).startsWith("こんにちは。");
        assertThat(email.date()).isEqualTo(Instant.parse("2026-11-24T03:00:00Z"));
    }

    @Test
    void bareLineFeeds() throws Exception {
        var file = Fixtures.email("bare-lf.eml");
        ParsedEmail email = parser.parse(file);

        assertThat(email.subject()).isEqualTo("bare LF message");
        assertThat(email.textBody()).isEqualTo("Line one\nLine two http://lf.example.org/x");
        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("archive.zip");
            assertThat(a.contentType()).isEqualTo("application/zip");
            assertThat(a.size()).isEqualTo(22);
        });
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        parser.copyAttachment(file, 0, copied);
        assertThat(copied.toByteArray()).hasSize(22).startsWith(0x50, 0x4B, 0x05, 0x06);
    }

    @Test
    void plainNonMimeMessageWithoutMessageIdOrDate() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("no-message-id.eml"));

        assertThat(email.messageId()).isNull();
        assertThat(email.date()).isNull();
        assertThat(email.subject()).isEqualTo("Grüße ohne MIME");
        assertThat(email.from()).isEqualTo(new EmailAddress("Müller", "mueller@example.de"));
        assertThat(email.textBody()).startsWith("Schöne Grüße aus Köln.");
        assertThat(email.htmlBody()).isNull();
        assertThat(email.attachments()).isEmpty();
        assertThat(email.artifacts())
                .extracting(Artifact::type, Artifact::value)
                .contains(
                        tuple(ArtifactType.URL, "http://köln.example.de/a"),
                        tuple(ArtifactType.DOMAIN, "köln.example.de"));
    }

    @Test
    void wrongAndUnknownCharsetsFallBackWithoutThrowing() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("wrong-charset.eml"));

        assertThat(email.subject()).isEqualTo("Café and naïve");
        assertThat(email.date()).isNull();
        assertThat(email.textBody()).isEqualTo("Déclaré ASCII, en fait UTF-8.\n" + "Déclaré UTF-8, en fait Latin-1.");
        assertThat(email.htmlBody()).isEqualTo("<p>Bogus charset, ünïcode</p>");
    }

    @Test
    void attachedMessageIsOneAttachmentNamedAfterItsSubject() throws Exception {
        var file = Fixtures.email("nested-rfc822.eml");
        ParsedEmail email = parser.parse(file);

        assertThat(email.textBody()).isEqualTo("Looks like phishing, see attached.");
        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("Urgent wire transfer _ überweisung.eml");
            assertThat(a.contentType()).isEqualTo("message/rfc822");
            assertThat(a.inline()).isFalse();
        });
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        parser.copyAttachment(file, 0, copied);
        assertThat(copied.toString(StandardCharsets.UTF_8))
                .startsWith("Message-ID: <inner-1@bad.example>\r\n")
                .contains("Content-Disposition: attachment; filename=wire.pdf");
        assertThat(email.attachments().get(0).size()).isEqualTo(copied.size());
        // the forwarded original is parsed too: it is the reported message, its artifacts are the report's
        assertThat(email.attachedMessages()).singleElement().satisfies(m -> {
            assertThat(m.format()).isEqualTo(AttachedMessage.Format.RFC822);
            assertThat(m.attachmentIndex()).isZero();
            assertThat(m.message().messageId()).isEqualTo("<inner-1@bad.example>");
            assertThat(m.message().attachments()).extracting(Attachment::name).containsExactly("wire.pdf");
            assertThat(m.message().rawSha256())
                    .isEqualTo(email.attachments().get(0).sha256());
        });
        assertThat(email.reported()).isSameAs(email.attachedMessages().get(0));
        assertThat(email.original()).isSameAs(email.attachedMessages().get(0).message());
        assertThat(email.artifacts())
                .filteredOn(a -> a.value().equals("http://pay.bad.example/"))
                .singleElement()
                .extracting(Artifact::foundIn)
                .isEqualTo("attachment:Urgent wire transfer _ überweisung.eml/textBody");
    }

    @Test
    void missingClosingBoundaryKeepsTheParts() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("missing-closing-boundary.eml"));

        assertThat(email.textBody()).isEqualTo("first part");
        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("data.bin");
            assertThat(a.size()).isEqualTo("raw data without end\r\n".length());
        });
    }

    @Test
    void base64CutOffMidQuantumKeepsTheCompleteBytes(@TempDir Path dir) throws Exception {
        var file = Files.writeString(
                dir.resolve("cut.eml"),
                "From: a@example.com\r\n"
                        + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf; name=cut.pdf\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nQUJDREVG\r\nR");
        ParsedEmail email = parser.parse(file);

        assertThat(email.attachments()).singleElement().satisfies(a -> {
            assertThat(a.size()).isEqualTo(6);
            assertThat(a.sha256()).isEqualTo(hex("SHA-256", "ABCDEF".getBytes(StandardCharsets.US_ASCII)));
        });
    }

    @Test
    void mboxEnvelopeLineIsSkipped(@TempDir Path dir) throws Exception {
        var file = Files.writeString(
                dir.resolve("mbox.eml"),
                "From reporter@example.com Thu Nov 26 10:00:00 2026\nFrom: reporter@example.com\nSubject: hi\n\nbody\n");
        ParsedEmail email = parser.parse(file);

        assertThat(email.subject()).isEqualTo("hi");
        assertThat(email.headers()).extracting(Header::name).containsExactly("From", "Subject");
        assertThat(email.textBody()).isEqualTo("body\n");
    }

    @Test
    void oddHeadersDegradeGracefully() throws Exception {
        ParsedEmail email = parser.parse(Fixtures.email("odd-headers.eml"));

        assertThat(email.messageId()).isEqualTo("<missing-brackets@example.com>");
        assertThat(email.subject()).isEmpty();
        assertThat(email.to()).extracting(EmailAddress::address).contains("soc@example.com", "bob@example.org");
        assertThat(email.textBody()).contains("There is no boundary line anywhere");
        assertThat(email.artifacts()).extracting(Artifact::value).contains("evil@phish.example");
    }

    private static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }
}

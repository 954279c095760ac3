package io.mailgate.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentFingerprintTest {

    @TempDir
    Path dir;

    private final MimeParser parser = new MimeParser(ParseLimits.defaults());

    @Test
    void redeliveryWithOtherTraceHeadersAndLineEndsHasTheSameFingerprint() throws Exception {
        String original = Files.readString(Fixtures.email("attachments-rfc2231.eml"), StandardCharsets.ISO_8859_1);
        String redelivered = ("Return-Path: <reporter@example.com>\r\n"
                        + "Delivered-To: soc-archive@example.com\r\n"
                        + "Received: from mx2.example.com by store2.example.com; Fri, 27 Nov 2026 01:00:00 +0000\r\n"
                        + "X-MS-Exchange-Organization-SCL: -1\r\n"
                        + "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=example.com; b=abc\r\n"
                        + "Authentication-Results: mx2.example.com; spf=pass\r\n"
                        + "X-Redelivery: yes\r\n"
                        + "X-Spam-Score: 0.1\r\n"
                        + "X-Some-Gateway-We-Never-Heard-Of: scanned\r\n"
                        + "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; b=resigned\r\n"
                        + "Content-Length: 4242\r\n"
                        + original.replace("Subject: Fwd: invoice\r\n", "Subject:   Fwd:\r\n\tinvoice\r\n"))
                .replace("\r\n", "\n");

        ParsedEmail first = parser.parse(write("first.eml", original));
        ParsedEmail second = parser.parse(write("second.eml", redelivered));

        assertThat(second.contentFingerprint())
                .isEqualTo(first.contentFingerprint())
                .hasSize(64);
        assertThat(second.rawSha256()).isNotEqualTo(first.rawSha256());
    }

    @Test
    void differentContentReusingTheMessageIdHasAnotherFingerprint() throws Exception {
        String original = Files.readString(Fixtures.email("multipart-alternative.eml"), StandardCharsets.ISO_8859_1);
        String otherBody = original.replace("Dear user,", "Dear admin,");
        String otherFrom = original.replace("<Payroll@Bad.EXAMPLE>", "<ceo@Bad.EXAMPLE>");

        ParsedEmail first = parser.parse(write("a.eml", original));
        ParsedEmail second = parser.parse(write("b.eml", otherBody));
        ParsedEmail third = parser.parse(write("c.eml", otherFrom));

        assertThat(second.messageId()).isEqualTo(first.messageId());
        assertThat(third.messageId()).isEqualTo(first.messageId());
        assertThat(second.contentFingerprint()).isNotEqualTo(first.contentFingerprint());
        assertThat(third.contentFingerprint())
                .isNotEqualTo(first.contentFingerprint())
                .isNotEqualTo(second.contentFingerprint());
    }

    @Test
    void aMimeHeaderOfTheAuthorStillCounts() throws Exception {
        String original = Files.readString(Fixtures.email("attachments-rfc2231.eml"), StandardCharsets.ISO_8859_1);
        String otherCc =
                original.replace("Subject: Fwd: invoice\r\n", "Subject: Fwd: invoice\r\nCc: boss@example.com\r\n");
        String otherMime =
                original.replace("Subject: Fwd: invoice\r\n", "Subject: Fwd: invoice\r\nContent-Language: de\r\n");

        ParsedEmail first = parser.parse(write("first.eml", original));

        assertThat(parser.parse(write("cc.eml", otherCc)).contentFingerprint())
                .isNotEqualTo(first.contentFingerprint());
        assertThat(parser.parse(write("mime.eml", otherMime)).contentFingerprint())
                .isNotEqualTo(first.contentFingerprint());
    }

    @Test
    void onlyTheAuthorsFieldsAreContentCaseInsensitively() {
        assertThat(ContentFingerprint.isAuthorContent("SUBJECT")).isTrue();
        assertThat(ContentFingerprint.isAuthorContent("Message-ID")).isTrue();
        assertThat(ContentFingerprint.isAuthorContent("In-Reply-To")).isTrue();
        assertThat(ContentFingerprint.isAuthorContent("content-transfer-encoding"))
                .isTrue();
        assertThat(ContentFingerprint.isAuthorContent("MIME-Version")).isTrue();
        assertThat(ContentFingerprint.isAuthorContent("Received")).isFalse();
        assertThat(ContentFingerprint.isAuthorContent("X-Redelivery")).isFalse();
        assertThat(ContentFingerprint.isAuthorContent("ARC-Message-Signature")).isFalse();
        assertThat(ContentFingerprint.isAuthorContent("X-MS-Exchange-Organization-AuthAs"))
                .isFalse();
        assertThat(ContentFingerprint.isAuthorContent("DKIM-Signature")).isFalse();
        assertThat(ContentFingerprint.isAuthorContent("Content-Length")).isFalse();
    }

    @Test
    void lineEndsSplitAcrossReadBuffersCountOnce() throws Exception {
        String headers = "From: a@example.com\nSubject: big\nMessage-ID: <big@example.com>\n\n";
        // the file is read 64 kB at a time: put a CRLF and a bare CR right on the first buffer's end
        String filler = "x".repeat(64 * 1024 - headers.length() - 1);
        String lf = headers + filler + "\nend\nmore\n";
        String crlf = headers + filler + "\r\nend\rmore\r\n";
        String doubled = headers + filler + "\r\n\nend\nmore\n"; // an extra empty line: other content

        String expected = parser.parse(write("lf.eml", lf)).contentFingerprint();
        assertThat(parser.parse(write("crlf.eml", crlf)).contentFingerprint()).isEqualTo(expected);
        assertThat(parser.parse(write("doubled.eml", doubled)).contentFingerprint())
                .isNotEqualTo(expected);
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
    }
}

package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenSSL-made S/MIME fixtures: every cipher and key transport, both nesting orders, every failure. */
class SmimeDecryptionTest {

    private static DecryptionKeys keys;

    @TempDir
    Path dir;

    private final MessageDecryptor decryptor = new MessageDecryptor(10 * 1024 * 1024);

    @BeforeAll
    static void loadKeys() throws Exception {
        keys = Fixtures.allKeys();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rsa-aes256-cbc.eml",
                "rsa-oaep-aes128-cbc.eml",
                "rsa-aes256-gcm.eml",
                "rsa-des3.eml",
                "rsa-skid-aes256-cbc.eml",
                "rsa-x-pkcs7-mime.eml"
            })
    void decryptsRsaVariants(String fixture) throws Exception {
        DecryptOutcome outcome = process("smime/" + fixture, keys);

        assertThat(outcome.encrypted()).isTrue();
        assertThat(outcome.decrypted()).isTrue();
        assertThat(outcome.format()).isEqualTo("SMIME");
        assertThat(outcome.wroteOutput()).isTrue();
        assertThat(outcome.decryptedWithCertificate()).contains("CN=SOC RSA");
        assertThat(outcome.decryptedWithSha256()).isEqualTo(Fixtures.rsaKey().sha256());
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.NONE);
        assertInnerMessageIntact(out());
    }

    @Test
    void decryptsEcKeyAgreement() throws Exception {
        DecryptOutcome outcome = process("smime/ec-aes256-cbc.eml", keys);

        assertThat(outcome.decryptedWithCertificate()).contains("CN=SOC EC");
        assertInnerMessageIntact(out());
    }

    @Test
    void decryptsWithOnlyTheMatchingKeyInstalled() throws Exception {
        DecryptOutcome outcome = process("smime/rsa-aes256-cbc.eml", DecryptionKeys.of(Fixtures.rsaKey()));

        assertThat(outcome.decrypted()).isTrue();
    }

    @Test
    void signedThenEncryptedIsDecryptedAndVerified() throws Exception {
        DecryptOutcome outcome = process("smime/signed-then-encrypted.eml", keys);

        assertThat(outcome.encrypted()).isTrue();
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
        assertThat(outcome.signerCertificateSubject()).contains("CN=Reporter");
        assertInnerMessageIntact(out());
    }

    @Test
    void encryptedThenSignedIsVerifiedAndDecrypted() throws Exception {
        DecryptOutcome outcome = process("smime/encrypted-then-signed.eml", keys);

        assertThat(outcome.encrypted()).isTrue();
        assertThat(outcome.decryptedWithCertificate()).contains("CN=SOC RSA");
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
        assertInnerMessageIntact(out());
    }

    @Test
    void clearSignedIsVerifiedAndUnwrapped() throws Exception {
        DecryptOutcome outcome = process("smime/signed-clear.eml", keys);

        assertThat(outcome.encrypted()).isFalse();
        assertThat(outcome.format()).isEqualTo("SMIME");
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.wroteOutput()).isTrue();
        assertInnerMessageIntact(out());
    }

    @Test
    void opaqueSignedIsVerifiedAndUnwrapped() throws Exception {
        DecryptOutcome outcome = process("smime/signed-opaque.eml", keys);

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
        assertInnerMessageIntact(out());
    }

    @Test
    void signatureWithoutTrustedRootIsUntrusted() throws Exception {
        DecryptOutcome outcome = process("smime/signed-clear.eml", DecryptionKeys.none());

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
    }

    @Test
    void selfSignedSignerIsUntrusted() throws Exception {
        DecryptOutcome outcome = process("smime/signed-untrusted.eml", keys);

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(outcome.signer()).isEqualTo("stranger@example.net");
        assertInnerMessageIntact(out());
    }

    @Test
    void selfSignedSignerTrustedByTheCallerIsValid() throws Exception {
        DecryptionKeys trusting =
                keys.withTrustedCertificates(List.of(Fixtures.certificate("keys/selfsigned-signer.crt")));

        assertThat(process("smime/signed-untrusted.eml", trusting).signature()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void tamperedContentIsInvalidButStillDelivered() throws Exception {
        DecryptOutcome outcome = process("smime/signed-tampered.eml", keys);

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.INVALID);
        assertThat(outcome.wroteOutput()).isTrue();
        assertThat(Files.readString(out())).contains("it looks fine");
    }

    @Test
    void notForOurKeyNamesTheRecipients() throws Exception {
        assertThatThrownBy(() -> process("smime/for-other-recipient.eml", keys))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.NOT_FOR_OUR_KEY);
                    assertThat(e.format()).isEqualTo("SMIME");
                    assertThat(e.recipients())
                            .singleElement()
                            .asString()
                            .contains("issuer=CN=Mailgate Test Intermediate CA,O=Mailgate Test")
                            .contains("serial=");
                    assertThat(e.getMessage()).contains(e.recipients().get(0)).contains("CN=SOC RSA");
                });
        assertThat(out()).doesNotExist();
    }

    @Test
    void noKeyInstalledNamesTheRecipients() throws Exception {
        String serial = Fixtures.certificate("keys/recipient-rsa.crt")
                .getSerialNumber()
                .toString(16)
                .toUpperCase();

        assertThatThrownBy(() -> process("smime/rsa-aes256-cbc.eml", DecryptionKeys.none()))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.NO_KEY);
                    assertThat(e.recipients()).singleElement().asString().contains("serial=" + serial);
                    assertThat(e.getMessage()).contains("serial=" + serial).contains("no S/MIME decryption key");
                });
    }

    @Test
    void recipientBySubjectKeyIdIsNamedByIt() {
        assertThatThrownBy(() -> process("smime/rsa-skid-aes256-cbc.eml", DecryptionKeys.none()))
                .isInstanceOfSatisfying(
                        UndecryptableMessageException.class,
                        e -> assertThat(e.recipients())
                                .singleElement()
                                .asString()
                                .startsWith("subjectKeyId="));
    }

    @Test
    void truncatedMessageIsCorrupt() {
        assertThatThrownBy(() -> process("smime/corrupt.eml", keys))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.CORRUPT);
                    assertThat(e.getMessage()).contains("damaged");
                });
        assertThat(out()).doesNotExist();
    }

    @Test
    void tooLargeFailsBeforeParsing() throws Exception {
        // Headers announce S/MIME, the body is not even base64: only a size check can have refused it.
        Path huge = dir.resolve("huge.eml");
        Files.writeString(
                huge,
                "Subject: big\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n" + "!".repeat(2048));

        assertThatThrownBy(() -> new MessageDecryptor(1024).process(huge, out(), keys))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.TOO_LARGE);
                    assertThat(e.getMessage()).contains("1024");
                });
    }

    @Test
    void plainMessageIsLeftAlone() throws Exception {
        Path plain = dir.resolve("plain.eml");
        Files.writeString(plain, "Subject: hello\r\nContent-Type: text/plain\r\n\r\nHi\r\n");

        DecryptOutcome outcome = new MessageDecryptor(10).process(plain, out(), keys);

        assertThat(outcome).isEqualTo(DecryptOutcome.notProtected());
        assertThat(out()).doesNotExist();
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        process("smime/signed-then-encrypted.eml", keys);
        try {
            process("smime/corrupt.eml", keys);
        } catch (UndecryptableMessageException expected) {
            // the point is what is left in the directory
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.eml");
        }
    }

    private DecryptOutcome process(String fixture, DecryptionKeys with) throws Exception {
        return decryptor.process(Fixtures.path(fixture), out(), with);
    }

    private Path out() {
        return dir.resolve("out.eml");
    }

    /** The outer headers came back, and the decrypted structure of inner.mime is whole. */
    static void assertInnerMessageIntact(Path file) throws Exception {
        MimeMessage message = Fixtures.parse(file);
        assertThat(message.getSubject()).isEqualTo("Suspicious invoice");
        assertThat(message.getFrom()[0].toString()).contains("reporter@example.org");
        assertThat(message.getHeader("Content-Type")).hasSize(1);
        assertThat(message.getContentType()).startsWith("multipart/mixed");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContent().toString()).contains("http://bad.example/login");
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("invoice.pdf");
        assertThat(Part.ATTACHMENT).isEqualToIgnoringCase(parts.getBodyPart(1).getDisposition());
        assertThat(new String(parts.getBodyPart(1).getInputStream().readAllBytes()))
                .startsWith("%PDF-1.4");
        MimeMessage nested = (MimeMessage) parts.getBodyPart(2).getContent();
        assertThat(nested.getSubject()).isEqualTo("Your invoice");
        assertThat(nested.getFrom()[0].toString()).isEqualTo("attacker@bad.example");
    }
}

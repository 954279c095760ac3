package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSCompressedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.ZlibCompressor;
import org.bouncycastle.operator.OutputAEADEncryptor;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages built here with BouncyCastle: what OpenSSL's command line does not make, and edge cases. */
class BouncyCastleBuiltMessagesTest {

    private static final String OUTER = "From: reporter@example.org\r\nTo: soc@example.com\r\n"
            + "Subject: Built by BouncyCastle\r\nMessage-ID: <bc@example.org>\r\nMIME-Version: 1.0\r\n";
    private static final String INNER = "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\n"
            + "Content-Type: text/plain\r\n\r\nSee http://bad.example/x\r\n--b1\r\n"
            + "Content-Type: application/octet-stream; name=a.bin\r\nContent-Disposition: attachment; filename=a.bin\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--b1--\r\n";

    private static ValidatedKey rsa;
    private static ValidatedKey ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() throws Exception {
        rsa = Fixtures.rsaKey();
        ec = Fixtures.ecKey();
    }

    @Test
    void rsaOaepSha256WithAesGcm() throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(oaepSha256(rsa.certificate()));
        byte[] cms = generator
                .generate(new CMSProcessableByteArray(bytes(INNER)), gcm(CMSAlgorithm.AES128_GCM))
                .getEncoded();

        DecryptOutcome outcome = process(smime(OUTER, "authEnveloped-data", cms), DecryptionKeys.of(rsa));

        assertThat(outcome.decryptedWithCertificate()).contains("CN=SOC RSA");
        assertDecrypted();
    }

    @Test
    void ecdhWithAesGcm() throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(ecdh(ec.certificate()));
        byte[] cms = generator
                .generate(new CMSProcessableByteArray(bytes(INNER)), gcm(CMSAlgorithm.AES256_GCM))
                .getEncoded();

        DecryptOutcome outcome = process(smime(OUTER, "authEnveloped-data", cms), DecryptionKeys.of(rsa, ec));

        assertThat(outcome.decryptedWithCertificate()).contains("CN=SOC EC");
        assertDecrypted();
    }

    @Test
    void tamperedGcmCiphertextIsCorrupt() throws Exception {
        CMSAuthEnvelopedDataGenerator generator = new CMSAuthEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(oaepSha256(rsa.certificate()));
        byte[] cms = generator
                .generate(new CMSProcessableByteArray(bytes(INNER)), gcm(CMSAlgorithm.AES128_GCM))
                .getEncoded();
        cms[cms.length - 40] ^= 1; // inside the ciphertext or tag

        assertThatThrownBy(() -> process(smime(OUTER, "authEnveloped-data", cms), DecryptionKeys.of(rsa)))
                .isInstanceOfSatisfying(
                        UndecryptableMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.CORRUPT));
        assertThat(out()).doesNotExist();
    }

    @Test
    void severalRecipientsOneOfThemOurs() throws Exception {
        KeyPair otherKey = TestPki.rsa();
        X509Certificate other =
                TestPki.certificate("CN=Somebody", otherKey.getPublic(), "CN=Somebody", otherKey.getPrivate(), false);
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(other).setProvider(Bc.PROVIDER));
        generator.addRecipientInfoGenerator(
                new JceKeyTransRecipientInfoGenerator(rsa.certificate()).setProvider(Bc.PROVIDER));
        byte[] cms = generator
                .generate(
                        new CMSProcessableByteArray(bytes(INNER)),
                        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                                .setProvider(Bc.PROVIDER)
                                .build())
                .getEncoded();

        assertThat(process(smime(OUTER, "enveloped-data", cms), DecryptionKeys.of(rsa))
                        .decrypted())
                .isTrue();
        assertDecrypted();
    }

    @Test
    void protectedHeadersInsideWinOverThePlaceholderOutside() throws Exception {
        String outer = OUTER.replace("Subject: Built by BouncyCastle", "Subject: ...");
        String inner = "Subject: The real subject\r\nFrom: reporter@example.org\r\n" + INNER;
        byte[] cms = envelope(bytes(inner));

        process(smime(outer, "enveloped-data", cms), DecryptionKeys.of(rsa));

        MimeMessage message = Fixtures.parse(out());
        assertThat(message.getHeader("Subject")).containsExactly("The real subject");
        assertThat(message.getHeader("From")).hasSize(1);
        assertThat(message.getMessageID()).isEqualTo("<bc@example.org>");
    }

    @Test
    void compressedInsideEncryptedIsExpanded() throws Exception {
        byte[] compressed = new CMSCompressedDataGenerator()
                .generate(new CMSProcessableByteArray(bytes(INNER)), new ZlibCompressor())
                .getEncoded();
        String compressedEntity = "Content-Type: application/pkcs7-mime; smime-type=compressed-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(compressed) + "\r\n";

        process(smime(OUTER, "enveloped-data", envelope(bytes(compressedEntity))), DecryptionKeys.of(rsa));

        assertDecrypted();
    }

    @Test
    void decompressionBombStopsAtTheLayerLimit() throws Exception {
        byte[] zeros = new byte[8 * 1024 * 1024];
        byte[] compressed = new CMSCompressedDataGenerator()
                .generate(new CMSProcessableByteArray(zeros), new ZlibCompressor())
                .getEncoded();
        Path bomb = write(smime(OUTER, "compressed-data", compressed));

        assertThatThrownBy(() ->
                        new MessageDecryptor(1024 * 1024, 1024 * 1024).process(bomb, out(), DecryptionKeys.none()))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.TOO_LARGE);
                    assertThat(e.format()).isEqualTo("SMIME");
                });
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(bomb); // temporary layers deleted, no output
        }
    }

    @Test
    void nestingIsBounded() throws Exception {
        byte[] entity = bytes(INNER);
        for (int i = 0; i <= MessageDecryptor.MAX_LAYERS; i++) {
            byte[] compressed = new CMSCompressedDataGenerator()
                    .generate(new CMSProcessableByteArray(entity), new ZlibCompressor())
                    .getEncoded();
            entity = bytes("Content-Type: application/pkcs7-mime; smime-type=compressed-data\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(compressed)
                    + "\r\n");
        }

        String message = OUTER + new String(entity, StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> process(message, DecryptionKeys.none()))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.CORRUPT);
                    assertThat(e.getMessage()).contains("nests more than");
                });
    }

    @Test
    void largeAttachmentStreamsThrough() throws Exception {
        // 6 MB of attachment, encrypted with the streaming generator straight to a file.
        byte[] attachment = new byte[6 * 1024 * 1024];
        new Random(42).nextBytes(attachment);
        String inner =
                "Content-Type: multipart/mixed; boundary=b2\r\n\r\n--b2\r\nContent-Type: text/plain\r\n\r\nbig one\r\n"
                        + "--b2\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n--b2--\r\n";
        CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
        generator.addRecipientInfoGenerator(
                new JceKeyTransRecipientInfoGenerator(rsa.certificate()).setProvider(Bc.PROVIDER));
        ByteArrayOutputStream cms = new ByteArrayOutputStream();
        try (OutputStream plain = generator.open(
                cms,
                new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                        .setProvider(Bc.PROVIDER)
                        .build())) {
            plain.write(bytes(inner));
        }

        DecryptOutcome outcome = process(smime(OUTER, "enveloped-data", cms.toByteArray()), DecryptionKeys.of(rsa));

        assertThat(outcome.decrypted()).isTrue();
        MimeMultipart parts = (MimeMultipart) Fixtures.parse(out()).getContent();
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(attachment);
    }

    @Test
    void cmsSignedByBouncyCastleInsideEncryption() throws Exception {
        KeyPair signerKey = TestPki.rsa();
        X509Certificate signer = TestPki.certificate(
                "CN=Signer,E=signer@example.org",
                signerKey.getPublic(),
                "CN=Signer,E=signer@example.org",
                signerKey.getPrivate(),
                false);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider(Bc.PROVIDER)
                .build("SHA256withRSA", signerKey.getPrivate(), signer));
        generator.addCertificates(new JcaCertStore(List.of(signer)));
        byte[] signed = generator
                .generate(new CMSProcessableByteArray(bytes(INNER)), true)
                .getEncoded();
        String signedEntity = "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(signed) + "\r\n";

        DecryptOutcome untrusted =
                process(smime(OUTER, "enveloped-data", envelope(bytes(signedEntity))), DecryptionKeys.of(rsa));
        assertThat(untrusted.signature()).isEqualTo(SignatureStatus.UNTRUSTED);
        assertThat(untrusted.signer()).isEqualTo("signer@example.org");
        assertDecrypted();

        DecryptOutcome trusted = process(
                smime(OUTER, "enveloped-data", envelope(bytes(signedEntity))),
                DecryptionKeys.of(rsa).withTrustedCertificates(List.of(signer)));
        assertThat(trusted.signature()).isEqualTo(SignatureStatus.VALID);
    }

    @Test
    void base64BodyWithoutTransferEncodingHeaderAndOctetStreamP7m() throws Exception {
        String message = OUTER + "Content-Type: application/octet-stream; name=\"smime.p7m\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(envelope(bytes(INNER))) + "\r\n";

        assertThat(process(message, DecryptionKeys.of(rsa)).decrypted()).isTrue();
        assertDecrypted();
    }

    @Test
    void signatureWithoutSignerCertificateIsUnverified() throws Exception {
        KeyPair signerKey = TestPki.rsa();
        X509Certificate signer = TestPki.certificate(
                "CN=Quiet Signer", signerKey.getPublic(), "CN=Quiet Signer", signerKey.getPrivate(), false);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSimpleSignerInfoGeneratorBuilder()
                .setProvider(Bc.PROVIDER)
                .build("SHA256withRSA", signerKey.getPrivate(), signer));
        byte[] signed = generator
                .generate(new CMSProcessableByteArray(bytes(INNER)), true)
                .getEncoded();

        DecryptOutcome outcome = process(smime(OUTER, "signed-data", signed), DecryptionKeys.none());

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.UNVERIFIED);
        assertThat(outcome.encrypted()).isFalse();
        assertDecrypted();
    }

    @Test
    void garbageUnderAnSmimeContentTypeIsCorrupt() throws Exception {
        Path file = write(OUTER + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(bytes("not cms")));

        assertThatThrownBy(() -> new MessageDecryptor(1 << 20).process(file, out(), DecryptionKeys.of(rsa)))
                .isInstanceOfSatisfying(
                        UndecryptableMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.CORRUPT));
    }

    private static OutputAEADEncryptor gcm(ASN1ObjectIdentifier algorithm) throws Exception {
        return (OutputAEADEncryptor) new JceCMSContentEncryptorBuilder(algorithm)
                .setProvider(Bc.PROVIDER)
                .build();
    }

    private static RecipientInfoGenerator oaepSha256(X509Certificate certificate) throws Exception {
        OAEPParameterSpec oaep =
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
        return new JceKeyTransRecipientInfoGenerator(
                        certificate,
                        new JcaAlgorithmParametersConverter()
                                .getAlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP, oaep))
                .setProvider(Bc.PROVIDER);
    }

    private static RecipientInfoGenerator ecdh(X509Certificate certificate) throws Exception {
        KeyPair ephemeral = TestPki.ec();
        return new JceKeyAgreeRecipientInfoGenerator(
                        CMSAlgorithm.ECDH_SHA256KDF,
                        ephemeral.getPrivate(),
                        ephemeral.getPublic(),
                        CMSAlgorithm.AES256_WRAP)
                .addRecipient(certificate)
                .setProvider(Bc.PROVIDER);
    }

    private static byte[] envelope(byte[] content) throws Exception {
        CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(
                new JceKeyTransRecipientInfoGenerator(rsa.certificate()).setProvider(Bc.PROVIDER));
        return generator
                .generate(
                        new CMSProcessableByteArray(content),
                        new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC)
                                .setProvider(Bc.PROVIDER)
                                .build())
                .getEncoded();
    }

    private static String smime(String outerHeaders, String smimeType, byte[] cms) {
        return outerHeaders + "Content-Type: application/pkcs7-mime; smime-type=" + smimeType + "; name=smime.p7m\r\n"
                + "Content-Disposition: attachment; filename=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(cms) + "\r\n";
    }

    private DecryptOutcome process(String message, DecryptionKeys keys) throws Exception {
        return new MessageDecryptor(32 * 1024 * 1024).process(write(message), out(), keys);
    }

    private Path write(String message) throws Exception {
        Path file = dir.resolve("in.eml");
        Files.writeString(file, message, StandardCharsets.ISO_8859_1);
        return file;
    }

    private void assertDecrypted() throws Exception {
        MimeMessage message = Fixtures.parse(out());
        assertThat(message.getSubject()).isEqualTo("Built by BouncyCastle");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("a.bin");
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).containsExactly(0, 1, 2, 3);
    }

    private Path out() {
        return dir.resolve("out.eml");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyValidatorTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PGP/MIME (RFC 3156) with the GnuPG-made fixtures, and the OpenPGP key upload rules. */
class PgpMimeTest {

    @TempDir
    Path dir;

    private final DecryptionKeyValidator validator = new DecryptionKeyValidator();
    private final MessageDecryptor decryptor = new MessageDecryptor(10 * 1024 * 1024);

    @Test
    void acceptsGnuPgSecretKeyExport() throws Exception {
        ValidatedKey key = Fixtures.pgpKey();

        assertThat(key.kind()).isEqualTo(KeyKind.PGP);
        assertThat(key.subject()).isEqualTo("SOC <soc@example.com>");
        assertThat(key.issuer()).matches("OpenPGP [0-9A-F]{40}");
        assertThat(key.notAfter()).isNull();
        assertThat(key.privateKey()).isNull();
        assertThat(key.chain()).isEmpty();
        assertThat(key.warnings()).isEmpty();
        // Only the encryption subkey is unlocked; the RSA primary is flagged sign/certify only.
        assertThat(key.pgpKeys().toString()).matches("\\[0x[0-9A-F]{16}\\]");
        assertThat(key.toString()).doesNotContain("PGPPrivateKey");
    }

    @Test
    void refusesWrongAndMissingPassphrase() {
        assertReason(
                () -> validator.validatePgp(Fixtures.bytes("keys/pgp-secret.asc"), "wrong".toCharArray()),
                DecryptionKeyException.Reason.WRONG_PASSWORD,
                "passphrase is wrong");
        assertReason(
                () -> validator.validatePgp(Fixtures.bytes("keys/pgp-secret.asc"), null),
                DecryptionKeyException.Reason.NO_PASSWORD,
                "passphrase");
    }

    @Test
    void acceptsUnprotectedKeyWithWarning() throws Exception {
        ValidatedKey key = validator.validatePgp(Fixtures.bytes("keys/pgp-other-secret.asc"), null);

        assertThat(key.warnings()).anyMatch(w -> w.contains("not protected"));
    }

    @Test
    void refusesPublicKeyAndOtherFiles() {
        assertReason(
                () -> validator.validatePgp(Fixtures.bytes("keys/pgp-public.asc"), Fixtures.PASSWORD),
                DecryptionKeyException.Reason.NO_PRIVATE_KEY,
                "only an OpenPGP public key");
        assertReason(
                () -> validator.validatePgp(Fixtures.bytes("keys/recipient-rsa.p12"), Fixtures.PASSWORD),
                DecryptionKeyException.Reason.NOT_PGP_KEY,
                "not an OpenPGP secret key");
        assertReason(
                () -> validator.validatePgp(
                        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxyz\n".getBytes(), Fixtures.PASSWORD),
                DecryptionKeyException.Reason.NOT_PGP_KEY,
                "OpenPGP");
        assertReason(
                () -> validator.validatePgp(new byte[0], Fixtures.PASSWORD),
                DecryptionKeyException.Reason.NOT_PGP_KEY,
                "empty");
    }

    @Test
    void refusesTwoSecretKeysInOneExport() throws Exception {
        ByteArrayOutputStream armored = new ByteArrayOutputStream();
        try (ArmoredOutputStream out = new ArmoredOutputStream(armored)) {
            out.write(dearmor("keys/pgp-secret.asc"));
            out.write(dearmor("keys/pgp-other-secret.asc"));
        }

        assertReason(
                () -> validator.validatePgp(armored.toByteArray(), Fixtures.PASSWORD),
                DecryptionKeyException.Reason.MULTIPLE_PRIVATE_KEYS,
                "2 OpenPGP secret keys");
    }

    @Test
    void decryptsPgpMime() throws Exception {
        DecryptOutcome outcome =
                decryptor.process(Fixtures.path("pgp/encrypted.eml"), out(), DecryptionKeys.of(Fixtures.pgpKey()));

        assertThat(outcome.encrypted()).isTrue();
        assertThat(outcome.decrypted()).isTrue();
        assertThat(outcome.format()).isEqualTo("PGP");
        assertThat(outcome.decryptedWithCertificate()).startsWith("SOC <soc@example.com> (key 0x");
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.NONE);
        SmimeDecryptionTest.assertInnerMessageIntact(out());
        assertThat(Fixtures.parse(out()).getMessageID()).isEqualTo("<pgp-encrypted@example.org>");
    }

    @Test
    void signedAndEncryptedByUnknownKeyIsDecryptedAndUnverified() throws Exception {
        DecryptOutcome outcome =
                decryptor.process(Fixtures.path("pgp/signed-encrypted.eml"), out(), Fixtures.allKeys());

        assertThat(outcome.decrypted()).isTrue();
        // Mail carries no OpenPGP keys, and the reporter's key is not installed: it cannot be checked.
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.UNVERIFIED);
        assertThat(outcome.signerCertificateSubject()).matches("OpenPGP key 0x[0-9A-F]{16}");
        SmimeDecryptionTest.assertInnerMessageIntact(out());
    }

    @Test
    void signedAndEncryptedByTrustedKeyIsValid() throws Exception {
        DecryptOutcome outcome = decryptor.process(
                Fixtures.path("pgp/signed-encrypted.eml"),
                out(),
                Fixtures.allKeys().withTrustedPgpKeys(reporterKey()));

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
        SmimeDecryptionTest.assertInnerMessageIntact(out());
    }

    @Test
    void clearSignedPgpMimeIsVerifiedAndUnwrapped() throws Exception {
        DecryptOutcome outcome = decryptor.process(
                Fixtures.path("pgp/signed.eml"), out(), DecryptionKeys.none().withTrustedPgpKeys(reporterKey()));

        assertThat(outcome.encrypted()).isFalse();
        assertThat(outcome.format()).isEqualTo("PGP");
        assertThat(outcome.signature()).isEqualTo(SignatureStatus.VALID);
        assertThat(outcome.signer()).isEqualTo("reporter@example.org");
        assertThat(outcome.wroteOutput()).isTrue();
        SmimeDecryptionTest.assertInnerMessageIntact(out());
    }

    @Test
    void clearSignedByUnknownKeyIsUnverified() throws Exception {
        DecryptOutcome outcome = decryptor.process(Fixtures.path("pgp/signed.eml"), out(), DecryptionKeys.none());

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.UNVERIFIED);
        SmimeDecryptionTest.assertInnerMessageIntact(out());
    }

    @Test
    void tamperedPgpSignedIsInvalidButDelivered() throws Exception {
        DecryptOutcome outcome = decryptor.process(
                Fixtures.path("pgp/signed-tampered.eml"),
                out(),
                DecryptionKeys.none().withTrustedPgpKeys(reporterKey()));

        assertThat(outcome.signature()).isEqualTo(SignatureStatus.INVALID);
        assertThat(Files.readString(out())).contains("it looks fine");
    }

    @Test
    void trustedPublicKeysMustBeOpenPgp() {
        assertReason(
                () -> PgpPublicKeys.parse("just text".getBytes()),
                DecryptionKeyException.Reason.NOT_PGP_KEY,
                "OpenPGP");
    }

    private static PgpPublicKeys reporterKey() throws Exception {
        return PgpPublicKeys.parse(Fixtures.bytes("keys/pgp-reporter-public.asc"));
    }

    @Test
    void notForOurKeyNamesTheKeyIds() throws Exception {
        assertThatThrownBy(() -> decryptor.process(
                        Fixtures.path("pgp/for-other-recipient.eml"), out(), DecryptionKeys.of(Fixtures.pgpKey())))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.NOT_FOR_OUR_KEY);
                    assertThat(e.format()).isEqualTo("PGP");
                    assertThat(e.recipients()).singleElement().asString().matches("pgpKeyId=0x[0-9A-F]{16}");
                    assertThat(e.getMessage()).contains(e.recipients().get(0));
                });
    }

    @Test
    void decryptsForCurve25519Key() throws Exception {
        ValidatedKey other = validator.validatePgp(Fixtures.bytes("keys/pgp-other-secret.asc"), null);

        DecryptOutcome outcome = decryptor.process(
                Fixtures.path("pgp/for-other-recipient.eml"), out(), DecryptionKeys.of(Fixtures.pgpKey(), other));

        assertThat(outcome.decryptedWithCertificate()).startsWith("Other <other@example.net>");
        SmimeDecryptionTest.assertInnerMessageIntact(out());
    }

    @Test
    void pgpMessageWithOnlyAnSmimeKeyIsNoKey() throws Exception {
        assertThatThrownBy(() -> decryptor.process(
                        Fixtures.path("pgp/encrypted.eml"), out(), DecryptionKeys.of(Fixtures.rsaKey())))
                .isInstanceOfSatisfying(UndecryptableMessageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.NO_KEY);
                    assertThat(e.recipients()).hasSize(1);
                });
    }

    @Test
    void damagedPgpDataIsCorrupt() throws Exception {
        String message = Files.readString(Fixtures.path("pgp/encrypted.eml"));
        int start = message.indexOf("-----BEGIN PGP MESSAGE-----");
        int middle = start + (message.indexOf("-----END PGP MESSAGE-----") - start) / 2;
        Path damaged = dir.resolve("damaged.eml");
        Files.writeString(damaged, message.substring(0, middle) + "AAAA" + message.substring(middle + 4));

        assertThatThrownBy(() -> decryptor.process(damaged, out(), DecryptionKeys.of(Fixtures.pgpKey())))
                .isInstanceOfSatisfying(
                        UndecryptableMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.CORRUPT));
    }

    private static byte[] dearmor(String fixture) throws Exception {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(Fixtures.bytes(fixture)))) {
            return in.readAllBytes();
        }
    }

    private Path out() {
        return dir.resolve("out.eml");
    }
}

package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecryptionKeysTest {

    @TempDir
    Path dir;

    @Test
    void loadsStoredPkcs12AndPgpKeyAndDecryptsBothFormats() throws Exception {
        DecryptionKeys keys = DecryptionKeys.load(
                Fixtures.bytes("keys/recipient-rsa.p12"),
                Fixtures.PASSWORD,
                Fixtures.bytes("keys/pgp-secret.asc"),
                Fixtures.PASSWORD);
        MessageDecryptor decryptor = new MessageDecryptor(1 << 20);

        assertThat(keys.keys()).extracting(ValidatedKey::kind).containsExactly(KeyKind.PKCS12, KeyKind.PGP);
        assertThat(decryptor
                        .process(Fixtures.path("smime/rsa-aes256-gcm.eml"), dir.resolve("a.eml"), keys)
                        .decrypted())
                .isTrue();
        assertThat(decryptor
                        .process(Fixtures.path("pgp/encrypted.eml"), dir.resolve("b.eml"), keys)
                        .decrypted())
                .isTrue();
    }

    @Test
    void loadingStoredMaterialRunsTheSameValidation() {
        assertThatThrownBy(() ->
                        DecryptionKeys.load(Fixtures.bytes("keys/recipient-rsa.p12"), "x".toCharArray(), null, null))
                .isInstanceOfSatisfying(
                        DecryptionKeyException.class,
                        e -> assertThat(e.reason()).isEqualTo(DecryptionKeyException.Reason.WRONG_PASSWORD));
    }

    @Test
    void toStringIsShortAndHoldsNoSecret() throws Exception {
        DecryptionKeys keys = DecryptionKeys.of(Fixtures.rsaKey())
                .withTrustedCertificates(List.of(Fixtures.certificate("keys/root.crt")));

        assertThat(keys.toString())
                .contains("PKCS12")
                .contains("CN=SOC RSA")
                .contains("trustedCertificates=1")
                .doesNotContain("BEGIN")
                .hasSizeLessThan(300);
    }

    @Test
    void nullMeansNoKeys() throws Exception {
        assertThatThrownBy(() -> new MessageDecryptor(1 << 20)
                        .process(Fixtures.path("smime/rsa-des3.eml"), dir.resolve("c.eml"), null))
                .isInstanceOfSatisfying(
                        UndecryptableMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(UndecryptableMessageException.Reason.NO_KEY));
    }
}

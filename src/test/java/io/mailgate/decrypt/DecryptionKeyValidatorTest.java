package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.CERTIFICATE_MISMATCH;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.INCOMPLETE_CHAIN;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.MULTIPLE_PRIVATE_KEYS;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PKCS12;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_CERTIFICATE;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PASSWORD;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PRIVATE_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.TOO_LARGE;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.WRONG_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecryptionKeyValidatorTest {

    private static final char[] PASSWORD = "secret".toCharArray();
    private static TestPki.Chain chain;

    private final DecryptionKeyValidator validator = new DecryptionKeyValidator();

    @BeforeAll
    static void pki() throws Exception {
        chain = TestPki.chain();
    }

    @Test
    void acceptsOpenSslExportWithFullChain() throws Exception {
        ValidatedKey key = validator.validatePkcs12(Fixtures.bytes("keys/recipient-rsa.p12"), Fixtures.PASSWORD);

        assertThat(key.kind()).isEqualTo(KeyKind.PKCS12);
        assertThat(key.subject()).contains("CN=SOC RSA");
        assertThat(key.issuer()).contains("CN=Mailgate Test Intermediate CA");
        assertThat(key.notAfter()).isAfter(Instant.now());
        assertThat(key.sha256())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(Fingerprints.sha256(Fixtures.certificate("keys/recipient-rsa.crt")));
        assertThat(key.chain()).hasSize(3);
        assertThat(key.chain().get(2)).isEqualTo(Fixtures.certificate("keys/root.crt"));
        assertThat(key.warnings()).isEmpty();
        assertThat(key.privateKey()).isNotNull();
    }

    @Test
    void acceptsEcKeyAndLegacyWindowsExport() throws Exception {
        assertThat(validator
                        .validatePkcs12(Fixtures.bytes("keys/recipient-ec.p12"), Fixtures.PASSWORD)
                        .subject())
                .contains("CN=SOC EC");
        assertThat(validator
                        .validatePkcs12(Fixtures.bytes("keys/recipient-rsa-legacy.pfx"), Fixtures.PASSWORD)
                        .subject())
                .contains("CN=SOC RSA");
    }

    @Test
    void toStringNeverShowsTheKey() throws Exception {
        ValidatedKey key = Fixtures.rsaKey();

        assertThat(key.toString())
                .contains("(redacted)")
                .contains("CN=SOC RSA")
                .doesNotContain(key.privateKey().toString())
                .doesNotContain(
                        HexFormat.of().formatHex(key.privateKey().getEncoded()).substring(0, 64));
    }

    @Test
    void refusesMissingPassword() {
        assertReason(() -> validator.validatePkcs12(pkcs12(), null), NO_PASSWORD, "password");
        assertReason(() -> validator.validatePkcs12(pkcs12(), new char[0]), NO_PASSWORD, "password");
    }

    @Test
    void refusesWrongPassword() {
        assertReason(
                () -> validator.validatePkcs12(pkcs12(), "wrong".toCharArray()), WRONG_PASSWORD, "password is wrong");
        assertReason(
                () -> validator.validatePkcs12(Fixtures.bytes("keys/recipient-rsa.p12"), "nope".toCharArray()),
                WRONG_PASSWORD,
                "password is wrong");
    }

    @Test
    void refusesWhatIsNotPkcs12() {
        assertReason(
                () -> validator.validatePkcs12(Fixtures.bytes("keys/recipient-rsa.crt"), PASSWORD),
                NOT_PKCS12,
                "not a PKCS#12");
        assertReason(
                () -> validator.validatePkcs12(
                        Fixtures.certificate("keys/root.crt").getEncoded(), PASSWORD),
                NOT_PKCS12,
                "not a PKCS#12");
        assertReason(() -> validator.validatePkcs12("hello".getBytes(), PASSWORD), NOT_PKCS12, "not a PKCS#12");
        assertReason(() -> validator.validatePkcs12(new byte[0], PASSWORD), NOT_PKCS12, "empty");
    }

    @Test
    void refusesFilesOverOneMegabyteBeforeParsing() {
        byte[] tooLarge = new byte[DecryptionKeyValidator.MAX_FILE_BYTES + 1];
        assertReason(() -> validator.validatePkcs12(tooLarge, PASSWORD), TOO_LARGE, "1 MB");
        assertReason(() -> validator.validatePgp(tooLarge, PASSWORD), TOO_LARGE, "1 MB");
    }

    @Test
    void refusesFileWithoutPrivateKey() {
        assertReason(
                () -> validator.validatePkcs12(Fixtures.bytes("keys/certs-only.p12"), Fixtures.PASSWORD),
                NO_PRIVATE_KEY,
                "no private key");
        assertReason(
                () -> validator.validatePkcs12(TestPki.pkcs12(PASSWORD, List.of(), chain.all()), PASSWORD),
                NO_PRIVATE_KEY,
                "no private key");
    }

    @Test
    void refusesMoreThanOnePrivateKey() throws Exception {
        KeyPair second = TestPki.rsa();
        byte[] file = TestPki.pkcs12(PASSWORD, List.of(chain.key().getPrivate(), second.getPrivate()), chain.all());

        assertReason(() -> validator.validatePkcs12(file, PASSWORD), MULTIPLE_PRIVATE_KEYS, "2 private keys");
    }

    @Test
    void refusesKeyWithoutCertificate() {
        assertReason(
                () -> validator.validatePkcs12(
                        TestPki.pkcs12(PASSWORD, List.of(chain.key().getPrivate()), List.of()), PASSWORD),
                NO_CERTIFICATE,
                "no certificate");
    }

    @Test
    void refusesCertificateThatDoesNotMatchTheKey() throws Exception {
        KeyPair other = TestPki.rsa();
        byte[] file = TestPki.pkcs12(PASSWORD, List.of(other.getPrivate()), chain.all());

        assertReason(() -> validator.validatePkcs12(file, PASSWORD), CERTIFICATE_MISMATCH, "matches its private key");
    }

    @Test
    void refusesEcKeyWithRsaCertificate() throws Exception {
        KeyPair ec = TestPki.ec();
        byte[] file = TestPki.pkcs12(PASSWORD, List.of(ec.getPrivate()), chain.all());

        assertReason(() -> validator.validatePkcs12(file, PASSWORD), CERTIFICATE_MISMATCH, "CN=soc");
    }

    @Test
    void refusesIncompleteChainNamingTheMissingIssuer() {
        assertReason(
                () -> validator.validatePkcs12(
                        TestPki.pkcs12(
                                PASSWORD,
                                List.of(chain.key().getPrivate()),
                                List.of(chain.leaf(), chain.intermediate())),
                        PASSWORD),
                INCOMPLETE_CHAIN,
                "CN=Test Root");
        assertReason(
                () -> validator.validatePkcs12(
                        TestPki.pkcs12(
                                PASSWORD, List.of(chain.key().getPrivate()), List.of(chain.leaf(), chain.root())),
                        PASSWORD),
                INCOMPLETE_CHAIN,
                "CN=Test Intermediate");
        assertReason(
                () -> validator.validatePkcs12(Fixtures.bytes("keys/recipient-rsa-nochain.p12"), Fixtures.PASSWORD),
                INCOMPLETE_CHAIN,
                "Mailgate Test Intermediate CA");
    }

    @Test
    void acceptsExpiredCertificateWithWarning() throws Exception {
        TestPki.Chain expired = TestPki.chain(Instant.now().minus(Duration.ofDays(3)));
        byte[] file = TestPki.pkcs12(PASSWORD, List.of(expired.key().getPrivate()), expired.all());

        ValidatedKey key = validator.validatePkcs12(file, PASSWORD);

        assertThat(key.notAfter()).isBefore(Instant.now());
        assertThat(key.warnings()).singleElement().asString().contains("expired");
    }

    @Test
    void acceptsSelfSignedCertificate() throws Exception {
        KeyPair pair = TestPki.rsa();
        var self = TestPki.certificate("CN=self", pair.getPublic(), "CN=self", pair.getPrivate(), false);

        ValidatedKey key =
                validator.validatePkcs12(TestPki.pkcs12(PASSWORD, List.of(pair.getPrivate()), List.of(self)), PASSWORD);

        assertThat(key.chain()).containsExactly(self);
    }

    private byte[] pkcs12() throws Exception {
        return TestPki.pkcs12(PASSWORD, List.of(chain.key().getPrivate()), chain.all());
    }

    interface Upload {
        Object run() throws Exception;
    }

    static void assertReason(Upload upload, DecryptionKeyException.Reason reason, String messagePart) {
        assertThatThrownBy(upload::run).isInstanceOfSatisfying(DecryptionKeyException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).containsIgnoringCase(messagePart);
        });
    }
}

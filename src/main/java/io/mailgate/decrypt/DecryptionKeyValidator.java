package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.CERTIFICATE_MISMATCH;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.MULTIPLE_PRIVATE_KEYS;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PGP_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PKCS12;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_CERTIFICATE;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PASSWORD;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PRIVATE_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.TOO_LARGE;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an uploaded decryption key before it is stored, so that a user learns at upload time, not
 * at the first encrypted message, that the file cannot work. The rules follow the reference: one
 * private key, its certificate, and the complete chain, in a file of at most 1 MB, with a password.
 */
final class DecryptionKeyValidator {

    /** The upload limit of the reference ("The maximum allowed file size is 1MB"). */
    public static final int MAX_FILE_BYTES = 1024 * 1024;

    private final Clock clock;

    public DecryptionKeyValidator() {
        this(Clock.systemUTC());
    }

    DecryptionKeyValidator(Clock clock) {
        this.clock = clock;
    }

    /** Validates an uploaded PKCS#12; throws DecryptionKeyException whose reason() and message name the cause. */
    public ValidatedKey validatePkcs12(byte[] file, char[] password) throws DecryptionKeyException {
        if (file == null || file.length == 0) {
            throw new DecryptionKeyException(NOT_PKCS12, "The file is empty; upload a PKCS#12 (.pfx or .p12) file.");
        }
        checkSize(file);
        if (password == null || password.length == 0) {
            throw new DecryptionKeyException(NO_PASSWORD, "The password of the PKCS#12 file is required.");
        }
        Pkcs12Contents contents = Pkcs12Reader.read(file, password);
        if (contents.privateKeys().isEmpty()) {
            throw new DecryptionKeyException(
                    NO_PRIVATE_KEY,
                    "The PKCS#12 file holds no private key, only "
                            + contents.certificates().size()
                            + " certificate(s); export the certificate with its private key.");
        }
        if (contents.privateKeys().size() > 1) {
            throw new DecryptionKeyException(
                    MULTIPLE_PRIVATE_KEYS,
                    "The PKCS#12 file holds " + contents.privateKeys().size()
                            + " private keys; it must hold exactly one.");
        }
        PrivateKey key = contents.privateKeys().get(0);
        if (contents.certificates().isEmpty()) {
            throw new DecryptionKeyException(
                    NO_CERTIFICATE,
                    "The PKCS#12 file holds a private key but no certificate; include the certificate and its chain.");
        }
        X509Certificate certificate = contents.certificates().stream()
                .filter(c -> CertificateChains.belongTogether(key, c))
                .findFirst()
                .orElseThrow(() -> new DecryptionKeyException(
                        CERTIFICATE_MISMATCH,
                        "No certificate in the file" + " matches its private key (found: "
                                + subjects(contents.certificates()) + ")."));
        List<X509Certificate> chain = CertificateChains.chain(certificate, contents.certificates());
        return new ValidatedKey(
                KeyKind.PKCS12,
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                certificate.getNotAfter().toInstant(),
                Fingerprints.sha256(certificate),
                warnings(chain),
                key,
                chain,
                null);
    }

    /** Validates an OpenPGP secret key (armored or binary) with its passphrase, by the same rules. */
    public ValidatedKey validatePgp(byte[] armoredSecretKey, char[] passphrase) throws DecryptionKeyException {
        if (armoredSecretKey == null || armoredSecretKey.length == 0) {
            throw new DecryptionKeyException(NOT_PGP_KEY, "The file is empty; upload an armored OpenPGP secret key.");
        }
        checkSize(armoredSecretKey);
        return PgpKeyReader.read(armoredSecretKey, passphrase, clock.instant());
    }

    private static void checkSize(byte[] file) throws DecryptionKeyException {
        if (file.length > MAX_FILE_BYTES) {
            throw new DecryptionKeyException(
                    TOO_LARGE,
                    "The file is " + file.length + " bytes; at most 1 MB (" + MAX_FILE_BYTES + " bytes) is allowed.");
        }
    }

    private List<String> warnings(List<X509Certificate> chain) {
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        for (X509Certificate c : chain) {
            String who = c == chain.get(0)
                    ? "The certificate"
                    : "The CA certificate \"" + c.getSubjectX500Principal().getName() + "\"";
            if (now.isAfter(c.getNotAfter().toInstant())) {
                warnings.add(who + " expired on " + c.getNotAfter().toInstant()
                        + "; it still decrypts mail that was encrypted for it, but senders should get a new one.");
            } else if (now.isBefore(c.getNotBefore().toInstant())) {
                warnings.add(who + " is not valid before " + c.getNotBefore().toInstant() + ".");
            }
        }
        boolean[] usage = chain.get(0).getKeyUsage();
        // keyUsage bits: 2 keyEncipherment (RSA), 4 keyAgreement (EC).
        if (usage != null && !(usage.length > 4 && (usage[2] || usage[4]))) {
            warnings.add("The certificate's key usage allows neither key encipherment nor key agreement;"
                    + " senders' mail clients may refuse to encrypt for it.");
        }
        return warnings;
    }

    private static String subjects(List<X509Certificate> certificates) {
        return certificates.stream()
                .map(c -> "\"" + c.getSubjectX500Principal().getName() + "\"")
                .toList()
                .toString();
    }
}

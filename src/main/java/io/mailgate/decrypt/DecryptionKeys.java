package io.mailgate.decrypt;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The keys a connection decrypts with (none, one, or several during a certificate roll-over), the
 * certificates it trusts besides the JVM trust store when it checks S/MIME signatures, and the
 * OpenPGP public keys whose signatures it accepts.
 *
 * <p>Build it once per connection and keep it: unlocking a key is slow on purpose (an OpenPGP key
 * exported by GnuPG takes about a second to unlock).
 */
public record DecryptionKeys(
        List<ValidatedKey> keys, List<X509Certificate> trustedCertificates, PgpPublicKeys trustedPgpKeys) {

    public DecryptionKeys {
        keys = keys == null ? List.of() : List.copyOf(keys);
        trustedCertificates = trustedCertificates == null ? List.of() : List.copyOf(trustedCertificates);
        trustedPgpKeys = trustedPgpKeys == null ? PgpPublicKeys.none() : trustedPgpKeys;
    }

    public DecryptionKeys(List<ValidatedKey> keys, List<X509Certificate> trustedCertificates) {
        this(keys, trustedCertificates, PgpPublicKeys.none());
    }

    /** No key installed: encrypted messages fail with {@code NO_KEY}; signatures are still checked. */
    public static DecryptionKeys none() {
        return new DecryptionKeys(List.of(), List.of());
    }

    public static DecryptionKeys of(ValidatedKey... keys) {
        return new DecryptionKeys(List.of(keys), List.of());
    }

    /**
     * Unlocks stored key material again (as uploaded; either pair may be null). It runs the same
     * validation as the upload, so a caller may cache the result per connection.
     */
    public static DecryptionKeys load(byte[] pkcs12, char[] pkcs12Password, byte[] pgpSecretKey, char[] pgpPassphrase)
            throws DecryptionKeyException {
        DecryptionKeyValidator validator = new DecryptionKeyValidator();
        List<ValidatedKey> loaded = new ArrayList<>();
        if (pkcs12 != null) {
            loaded.add(validator.validatePkcs12(pkcs12, pkcs12Password));
        }
        if (pgpSecretKey != null) {
            loaded.add(validator.validatePgp(pgpSecretKey, pgpPassphrase));
        }
        return new DecryptionKeys(loaded, List.of());
    }

    /** The same keys, also trusting these certificates (roots or signers) for signatures. */
    public DecryptionKeys withTrustedCertificates(Collection<X509Certificate> certificates) {
        List<X509Certificate> all = new ArrayList<>(trustedCertificates);
        all.addAll(certificates);
        return new DecryptionKeys(keys, all, trustedPgpKeys);
    }

    /** The same keys, also accepting OpenPGP signatures made by these keys. */
    public DecryptionKeys withTrustedPgpKeys(PgpPublicKeys pgpKeys) {
        return new DecryptionKeys(keys, trustedCertificates, pgpKeys);
    }

    /** Short on purpose: the default would print every trusted certificate in full. */
    @Override
    public String toString() {
        return "DecryptionKeys[keys="
                + keys.stream().map(k -> k.kind() + " " + k.subject()).toList() + ", trustedCertificates="
                + trustedCertificates.size() + ", trustedPgpKeys=" + trustedPgpKeys + "]";
    }

    List<ValidatedKey> ofKind(KeyKind kind) {
        return keys.stream().filter(k -> k.kind() == kind).toList();
    }
}

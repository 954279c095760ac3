package io.mailgate.decrypt;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A decryption key that passed {@link DecryptionKeyValidator}: what to show about it, and the key
 * material to decrypt with. {@link #toString()} never prints key material.
 *
 * @param kind       PKCS12 or PGP
 * @param subject    certificate subject, or the OpenPGP primary user ID
 * @param issuer     certificate issuer, or {@code OpenPGP <fingerprint>} (OpenPGP keys certify themselves)
 * @param notAfter   certificate expiry or OpenPGP key expiry; null when an OpenPGP key never expires
 * @param sha256     SHA-256 fingerprint ({@code AB:CD:…}) of the certificate, or of the OpenPGP primary public key packet
 * @param warnings   things the user should know that do not prevent decryption (expired, key usage)
 * @param privateKey the S/MIME private key; null for PGP
 * @param chain      the certificate first, then each issuer up to the self-signed root; empty for PGP
 * @param pgpKeys    the unlocked OpenPGP decryption (sub)keys; null for PKCS12
 */
public record ValidatedKey(
        KeyKind kind,
        String subject,
        String issuer,
        Instant notAfter,
        String sha256,
        List<String> warnings,
        PrivateKey privateKey,
        List<X509Certificate> chain,
        PgpDecryptionKeys pgpKeys) {

    public ValidatedKey {
        Objects.requireNonNull(kind, "kind");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        chain = chain == null ? List.of() : List.copyOf(chain);
    }

    /** The certificate the key belongs to; null for PGP. */
    public X509Certificate certificate() {
        return chain.isEmpty() ? null : chain.get(0);
    }

    @Override
    public String toString() {
        return "ValidatedKey[kind=" + kind + ", subject=" + subject + ", issuer=" + issuer + ", notAfter="
                + notAfter + ", sha256=" + sha256 + ", warnings=" + warnings + ", privateKey="
                + (privateKey == null ? "none" : "(redacted)") + ", chain=" + chain.size() + " certificate(s)"
                + (pgpKeys == null ? "" : ", pgpKeys=" + pgpKeys) + "]";
    }
}

package io.mailgate.decrypt;

/**
 * What {@link MessageDecryptor#process} found and did.
 *
 * @param encrypted                 the message was encrypted (S/MIME enveloped or auth-enveloped, or PGP/MIME)
 * @param decrypted                 it was decrypted (always equal to {@code encrypted}: a failure throws instead)
 * @param format                    {@code SMIME}, {@code PGP} or {@code NONE}
 * @param decryptedWithCertificate  subject of the certificate (or OpenPGP user ID and key ID) that decrypted it
 * @param signature                 the first signature found, outside or inside the encryption
 * @param signer                    the signer's email address from the certificate, when there is one
 * @param signerCertificateSubject  the signer certificate's subject (OpenPGP: {@code OpenPGP key 0x…})
 * @param wroteOutput               outFile holds the unwrapped message; false means: keep using the raw file
 * @param decryptedWithSha256       SHA-256 fingerprint of the key that decrypted it
 */
public record DecryptOutcome(
        boolean encrypted,
        boolean decrypted,
        String format,
        String decryptedWithCertificate,
        SignatureStatus signature,
        String signer,
        String signerCertificateSubject,
        boolean wroteOutput,
        String decryptedWithSha256) {

    static DecryptOutcome notProtected() {
        return new DecryptOutcome(false, false, "NONE", null, SignatureStatus.NONE, null, null, false, null);
    }
}

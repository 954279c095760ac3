package io.mailgate.incident;

/**
 * What the decrypt step found, as stored on the message.
 *
 * @param format          SMIME, PGP or NONE
 * @param decryptedWith   subject (and fingerprint) of the key that decrypted it
 * @param signature       NONE, VALID, INVALID, UNTRUSTED (or UNVERIFIED when the signer is unknown)
 * @param signer          the signer's address, when there is one
 * @param signerCertificate the signer certificate's subject (OpenPGP: the key id)
 */
public record DecryptionSummary(
        boolean encrypted,
        boolean decrypted,
        String format,
        String decryptedWith,
        String signature,
        String signer,
        String signerCertificate) {

    public static final DecryptionSummary PLAIN = new DecryptionSummary(false, false, "NONE", null, "NONE", null, null);

    public static DecryptionSummary encryptedNotDecrypted(String format) {
        return new DecryptionSummary(true, false, format, null, "NONE", null, null);
    }
}

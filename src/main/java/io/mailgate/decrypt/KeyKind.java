package io.mailgate.decrypt;

/** What an uploaded decryption key is. */
public enum KeyKind {
    /** An X.509 certificate and its private key from a PKCS#12 (.pfx/.p12) file, for S/MIME. */
    PKCS12,
    /** An OpenPGP secret key, for PGP/MIME. */
    PGP
}

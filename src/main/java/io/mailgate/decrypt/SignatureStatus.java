package io.mailgate.decrypt;

/** What the signature of a message says; a signature never makes a message fail. */
public enum SignatureStatus {
    /** Not signed. */
    NONE,
    /** Verifies and the signer's certificate chains to a trusted certificate. */
    VALID,
    /** The digest or signature does not match the content: altered, or not signed by that key. */
    INVALID,
    /** Verifies, but the signer's certificate does not chain to anything trusted. */
    UNTRUSTED,
    /**
     * Signed, but the signature cannot be checked: the signer's certificate is not in the message
     * (S/MIME) or the signer's public key is not known (OpenPGP, where mail carries no keys).
     */
    UNVERIFIED
}

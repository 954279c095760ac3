package io.mailgate.decrypt;

import java.util.Objects;

/** An uploaded decryption key was refused; {@link #reason()} says why, the message says it for people. */
final class DecryptionKeyException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a key was refused. */
    public enum Reason {
        NO_PASSWORD,
        WRONG_PASSWORD,
        NOT_PKCS12,
        TOO_LARGE,
        NO_PRIVATE_KEY,
        MULTIPLE_PRIVATE_KEYS,
        /** The file holds a private key but no certificate at all. */
        NO_CERTIFICATE,
        CERTIFICATE_MISMATCH,
        INCOMPLETE_CHAIN,
        NOT_PGP_KEY,
        /** An OpenPGP key with no (sub)key that may encrypt, so nothing can ever be decrypted with it. */
        NO_ENCRYPTION_KEY
    }

    private final Reason reason;

    DecryptionKeyException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    DecryptionKeyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    public Reason reason() {
        return reason;
    }
}

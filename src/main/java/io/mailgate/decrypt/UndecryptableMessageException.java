package io.mailgate.decrypt;

import java.util.List;
import java.util.Objects;

/**
 * A message is encrypted but cannot be decrypted. The caller quarantines it with its original bytes;
 * the message names the recipients it was encrypted for, so an operator can tell which key is needed.
 */
public final class UndecryptableMessageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a message could not be decrypted. */
    public enum Reason {
        /** Encrypted, and no decryption key of its kind is installed. */
        NO_KEY,
        /** Encrypted for other recipients than the installed key(s). */
        NOT_FOR_OUR_KEY,
        /** Damaged, truncated, tampered with, or not the structure its headers announce. */
        CORRUPT,
        /** Larger than the configured cap; refused before any cryptographic parsing. */
        TOO_LARGE
    }

    private final Reason reason;
    private final String format;
    private final List<String> recipients;

    UndecryptableMessageException(
            Reason reason, String format, List<String> recipients, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason);
        this.format = format;
        this.recipients = List.copyOf(recipients);
    }

    public Reason reason() {
        return reason;
    }

    /** {@code SMIME} or {@code PGP}. */
    public String format() {
        return format;
    }

    /**
     * Who the message was encrypted for: {@code issuer=…, serial=…} or {@code subjectKeyId=…} for
     * S/MIME, {@code pgpKeyId=0x…} for OpenPGP. Empty when the structure could not be read that far.
     */
    public List<String> recipients() {
        return recipients;
    }
}

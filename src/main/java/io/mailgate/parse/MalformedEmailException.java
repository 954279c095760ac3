package io.mailgate.parse;

/**
 * The message cannot be parsed, or breaks one of the {@link ParseLimits}. Retrying does not help:
 * the caller should quarantine the raw bytes with {@link #reason()} and {@link #getMessage()}.
 */
public final class MalformedEmailException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a message was refused; stable codes for the quarantine and the API. */
    public enum Reason {
        /** Multiparts nested deeper than {@link ParseLimits#maxDepth()}. */
        TOO_DEEP,
        /** More body parts than {@link ParseLimits#maxParts()}. */
        TOO_MANY_PARTS,
        /** A header block larger than {@link ParseLimits#maxHeaderBytes()}. */
        HEADER_TOO_LARGE,
        /** More decoded bytes than {@link ParseLimits#maxDecodedBytes()}. */
        DECODED_TOO_LARGE,
        /** The bytes are not an RFC 5322 message at all (empty, or no header block). */
        NOT_MIME,
        /** The file or a part of it could not be read or decoded. */
        UNREADABLE
    }

    private final Reason reason;

    public MalformedEmailException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public MalformedEmailException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

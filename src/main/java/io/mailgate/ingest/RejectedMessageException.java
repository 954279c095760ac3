package io.mailgate.ingest;

/**
 * A message that no retry will fix (malformed, too large, cannot be decrypted, matches no incident in APPEND
 * mode). The pipeline quarantines it, with its raw bytes, so that the mailbox moves on.
 */
public class RejectedMessageException extends Exception {

    private final String code;

    public RejectedMessageException(String code, String message) {
        super(message);
        this.code = code;
    }

    public RejectedMessageException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable code for the API and metrics: MALFORMED, TOO_LARGE, UNDECRYPTABLE, UNMATCHED, ... */
    public String code() {
        return code;
    }
}

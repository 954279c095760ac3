package io.mailgate.component.msgraph;

/** Graph answered with an error (or could not be reached). The message names Graph's error code. */
public class GraphException extends Exception {

    private final int status;
    private final String code;

    public GraphException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status, or 0 when Graph was not reached. */
    public int status() {
        return status;
    }

    /** Graph's error code, e.g. {@code ErrorAccessDenied}, {@code ErrorItemNotFound}; may be null. */
    public String code() {
        return code;
    }
}

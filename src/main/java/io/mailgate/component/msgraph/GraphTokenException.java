package io.mailgate.component.msgraph;

/** No access token: why, in the terms the connection test and status use. The message never holds a secret. */
public class GraphTokenException extends Exception {

    public enum Reason {
        /** Access must be granted (again) by an admin: consent missing, grant revoked or expired. */
        GRANT_NEEDED,
        /** The identity provider could not be reached; retrying later may help. */
        UNREACHABLE,
        /** The identity provider refused: wrong credential, tenant or app registration. */
        REFUSED
    }

    private final Reason reason;
    private final String errorCode;

    /**
     * @param errorCode the identity provider's code (e.g. Entra's AADSTS…), or null
     */
    public GraphTokenException(Reason reason, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errorCode = errorCode;
    }

    public Reason reason() {
        return reason;
    }

    public String errorCode() {
        return errorCode;
    }
}

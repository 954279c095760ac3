package io.mailgate.oauth;

import io.mailgate.component.msgraph.GraphTokenException;

/**
 * A failure to obtain a token, typed for the connection status and the connection test. The
 * message holds Entra's code and description (never a secret or token).
 */
public class OAuthException extends GraphTokenException {

    private final OAuthFailure failure;
    private final String error;
    private final String errorCode;
    private final String errorDescription;

    /**
     * @param failure          what it means for the connection
     * @param error            the OAuth error, e.g. {@code invalid_grant}; null for a network failure
     * @param errorCode        Entra's code, e.g. {@code AADSTS7000215}; else the OAuth error
     * @param errorDescription Entra's description (first line, without trace ids)
     */
    public OAuthException(
            OAuthFailure failure, String error, String errorCode, String errorDescription, Throwable cause) {
        super(reason(failure, error), errorCode, message(errorCode, errorDescription), cause);
        this.failure = failure;
        this.error = error;
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
    }

    /** How the Graph component sees it: grant again, try again later, or fix the app's registration. */
    private static Reason reason(OAuthFailure failure, String error) {
        if (failure == OAuthFailure.NEEDS_CONSENT || failure == OAuthFailure.CONSENT_REQUIRED) {
            return Reason.GRANT_NEEDED;
        }
        return failure == OAuthFailure.UNAVAILABLE && error == null ? Reason.UNREACHABLE : Reason.REFUSED;
    }

    /** Entra's descriptions start with their AADSTS code already; the code is prefixed only when missing. */
    private static String message(String errorCode, String errorDescription) {
        if (errorCode == null || (errorDescription != null && errorDescription.startsWith(errorCode))) {
            return errorDescription;
        }
        return errorDescription == null ? errorCode : errorCode + ": " + errorDescription;
    }

    public OAuthFailure failure() {
        return failure;
    }

    /** The OAuth 2.0 error, e.g. {@code invalid_grant}, or null when Entra did not answer. */
    public String error() {
        return error;
    }

    /** Entra's AADSTS code (e.g. {@code AADSTS70008}), else the OAuth error, else null. */
    @Override
    public String errorCode() {
        return errorCode;
    }

    public String errorDescription() {
        return errorDescription;
    }

    public boolean needsConsent() {
        return failure == OAuthFailure.NEEDS_CONSENT || failure == OAuthFailure.CONSENT_REQUIRED;
    }
}

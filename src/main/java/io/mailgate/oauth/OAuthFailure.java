package io.mailgate.oauth;

/** What kind of identity failure happened, as the connection status and the test report it. */
public enum OAuthFailure {
    /**
     * The refresh token (or authorization code) is no longer valid: expired, revoked, password
     * changed, or the user removed the grant (invalid_grant, interaction_required). Only a new
     * Grant Access fixes it: the connection goes to NEEDS_CONSENT and is not retried.
     */
    NEEDS_CONSENT,
    /** The app lacks (admin) consent for the requested permissions (AADSTS65001). */
    CONSENT_REQUIRED,
    /** The app's credential is wrong or expired (invalid_client, e.g. AADSTS7000215, AADSTS700027). */
    INVALID_CLIENT,
    /** The app, tenant or request is misconfigured (unauthorized_client, invalid_request, unknown tenant …). */
    CONFIGURATION,
    /** Entra ID could not be reached or answered with a server error; retrying later may help. */
    UNAVAILABLE;

    /** Whether retrying with the same refresh token can ever succeed. */
    public boolean isPermanent() {
        return this != UNAVAILABLE;
    }
}

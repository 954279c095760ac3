package io.mailgate.oauth;

import java.net.URI;

/**
 * One Grant Access attempt. Persist {@code state} (one-time, bound to the organization, connection
 * and admin, with an expiry) and {@code codeVerifier}; send the admin to {@code authorizationUrl}.
 */
public record AuthorizationRequest(URI authorizationUrl, String state, String codeVerifier) {

    @Override
    public String toString() {
        return "AuthorizationRequest[authorizationUrl=" + authorizationUrl + ", state=***, codeVerifier=***]";
    }
}

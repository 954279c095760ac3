package io.mailgate.oauth;

import java.time.Instant;

/**
 * Tokens from Entra's token endpoint.
 *
 * @param accessToken  the Graph access token
 * @param refreshToken the refresh token to store; null for client credentials (and when Entra sent none)
 * @param expiresAt    when the access token expires
 * @param scope        the scopes granted, space separated
 * @param username     the signed-in account (preferred_username / upn / email of the id token); null if unknown
 */
public record TokenResponse(String accessToken, String refreshToken, Instant expiresAt, String scope, String username) {

    @Override
    public String toString() {
        return "TokenResponse[accessToken=***, refreshToken=" + (refreshToken == null ? "null" : "***") + ", expiresAt="
                + expiresAt + ", scope=" + scope + ", username=" + username + "]";
    }
}

package io.mailgate.oauth;

/**
 * Where a connection's refresh token lives (encrypted in the database). Entra may return a new
 * refresh token on every refresh; it replaces the stored one at once, because the old one may stop
 * working.
 */
public interface RefreshTokenStore {

    /** The stored refresh token, or null when access was never granted (or was withdrawn). */
    String load();

    void save(String refreshToken);

    /** Called once when the grant is lost for good, so the connection can show NEEDS_CONSENT. */
    default void grantLost(OAuthException cause) {}
}

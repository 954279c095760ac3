package io.mailgate.component.msgraph;

/**
 * Gives a currently valid Graph access token; the component asks before each request. How the token is obtained
 * (a refresh token, client credentials, a certificate) is the provider's business, not the component's.
 */
@FunctionalInterface
public interface GraphTokenProvider {

    String accessToken() throws GraphTokenException;

    /** Forget a cached token, e.g. after Graph answered 401 with it. */
    default void invalidate() {}

    /** True for app-only access (application permissions): there is no signed-in user, so no {@code /me}. */
    default boolean appOnly() {
        return false;
    }
}

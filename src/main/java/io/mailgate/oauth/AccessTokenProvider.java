package io.mailgate.oauth;

/** Gives a currently valid Graph access token; the ms-graph-mail component asks before each request. */
@FunctionalInterface
public interface AccessTokenProvider {

    String accessToken() throws OAuthException;

    /** Forget a cached token, e.g. after Graph answered 401 with it. */
    default void invalidate() {
    }
}

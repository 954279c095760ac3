package io.mailgate.oauth;

import io.mailgate.component.msgraph.GraphTokenProvider;

/**
 * Gives a currently valid Graph access token from Entra ID; the ms-graph-mail component asks before each request
 * through {@link GraphTokenProvider}, which knows nothing of Entra ID.
 */
@FunctionalInterface
public interface AccessTokenProvider extends GraphTokenProvider {

    @Override
    String accessToken() throws OAuthException;
}

package io.mailgate.oauth;

import java.time.Clock;
import java.util.Objects;

/**
 * App-only access (client credentials with application permissions): no user, no refresh token.
 * A permanent failure (wrong secret, missing consent) sticks until {@link #reset()}, so polls do not
 * hammer Entra with a credential that cannot work.
 */
public final class ClientCredentialsAccessTokenProvider implements AccessTokenProvider {

    private final TokenService tokens;
    private final Clock clock;
    private CachedToken cached;
    private OAuthException failed;

    public ClientCredentialsAccessTokenProvider(TokenService tokens) {
        this(tokens, Clock.systemUTC());
    }

    ClientCredentialsAccessTokenProvider(TokenService tokens, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized String accessToken() throws OAuthException {
        if (failed != null) {
            throw failed;
        }
        if (cached != null && cached.isFresh(clock)) {
            return cached.accessToken();
        }
        try {
            cached = CachedToken.of(tokens.clientCredentials(), clock);
            return cached.accessToken();
        } catch (OAuthException e) {
            if (e.failure().isPermanent()) {
                failed = e;
            }
            throw e;
        }
    }

    @Override
    public synchronized void invalidate() {
        cached = null;
    }

    @Override
    public boolean appOnly() {
        return true;
    }

    public synchronized void reset() {
        cached = null;
        failed = null;
    }
}

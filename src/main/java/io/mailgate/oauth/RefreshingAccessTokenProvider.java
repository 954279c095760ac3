package io.mailgate.oauth;

import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegated access for one connection: refreshes the access token from the stored refresh token
 * about five minutes before it expires, and stores a rotated refresh token at once.
 *
 * <p>When Entra says the grant is gone (invalid_grant and the like), the provider stays failed and
 * makes no further token calls: every poll gets the same {@link OAuthException} instantly, so a
 * revoked grant cannot cause a retry storm (nor an account lockout). It recovers by itself when
 * the store holds a different refresh token (a new Grant Access), or on {@link #reset()}.
 * Transient failures (Entra unreachable) are not remembered: the next poll tries again.
 */
public final class RefreshingAccessTokenProvider implements AccessTokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingAccessTokenProvider.class);

    private final TokenService tokens;
    private final RefreshTokenStore store;
    private final Clock clock;
    private CachedToken cached;
    private OAuthException lostGrant;
    private String lostRefreshToken;

    public RefreshingAccessTokenProvider(TokenService tokens, RefreshTokenStore store) {
        this(tokens, store, Clock.systemUTC());
    }

    RefreshingAccessTokenProvider(TokenService tokens, RefreshTokenStore store, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized String accessToken() throws OAuthException {
        if (cached != null && cached.isFresh(clock)) {
            return cached.accessToken();
        }
        String refreshToken = store.load();
        if (lostGrant != null) {
            if (refreshToken == null || refreshToken.equals(lostRefreshToken)) {
                throw lostGrant;
            }
            lostGrant = null;
            lostRefreshToken = null;
        }
        try {
            TokenResponse response = tokens.refresh(refreshToken);
            if (response.refreshToken() != null && !response.refreshToken().equals(refreshToken)) {
                store.save(response.refreshToken());
            }
            cached = CachedToken.of(response, clock);
            return cached.accessToken();
        } catch (OAuthException e) {
            cached = null;
            if (e.failure().isPermanent()) {
                lostGrant = e;
                lostRefreshToken = refreshToken;
                LOG.warn(
                        "Microsoft grant lost for client {}: {}; no further token requests until access is granted again",
                        tokens.settings().clientId(),
                        e.getMessage());
                store.grantLost(e);
            }
            throw e;
        }
    }

    @Override
    public synchronized void invalidate() {
        cached = null;
    }

    /** Forget a lost grant and any cached token, e.g. after the connection was edited. */
    public synchronized void reset() {
        cached = null;
        lostGrant = null;
        lostRefreshToken = null;
    }

    /** The failure that stopped this provider, or null while it works. */
    public synchronized OAuthException lostGrant() {
        return lostGrant;
    }
}

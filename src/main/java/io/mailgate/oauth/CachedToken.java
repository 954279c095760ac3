package io.mailgate.oauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** An access token kept until shortly before it expires, so no request goes out with a dying token. */
final class CachedToken {

    /** Refresh this long before expiry (at most half the token's lifetime). */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private final String accessToken;
    private final Instant refreshAt;

    private CachedToken(String accessToken, Instant refreshAt) {
        this.accessToken = accessToken;
        this.refreshAt = refreshAt;
    }

    static CachedToken of(TokenResponse response, Clock clock) {
        Instant now = clock.instant();
        Duration lifetime = Duration.between(now, response.expiresAt());
        Duration margin = lifetime.dividedBy(2).compareTo(MARGIN) < 0 ? lifetime.dividedBy(2) : MARGIN;
        return new CachedToken(response.accessToken(), response.expiresAt().minus(margin));
    }

    boolean isFresh(Clock clock) {
        return clock.instant().isBefore(refreshAt);
    }

    String accessToken() {
        return accessToken;
    }
}

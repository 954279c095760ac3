package io.mailgate.account;

import io.mailgate.api.CredentialsNotCheckedException;
import io.mailgate.api.DatabaseOutage;
import io.mailgate.api.Timestamps;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/** Checks a presented API key against the stored SHA-256 hashes and records its use. */
public class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    /** last_used_at is for people ("is this key still in use?"), so minute precision is plenty. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository keys;

    public ApiKeyAuthenticationProvider(ApiKeyRepository keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        if (presented == null || !ApiKeys.looksLikeKey(presented)) {
            throw new BadCredentialsException("Invalid API key");
        }
        ApiKey key;
        try {
            key = keys.findByKeyHash(ApiKeys.hash(presented))
                    .orElseThrow(() -> new BadCredentialsException("Invalid API key"));
            Instant now = Timestamps.now();
            if (key.getLastUsedAt() == null || key.getLastUsedAt().isBefore(now.minus(TOUCH_INTERVAL))) {
                keys.touch(key.getId(), now, now.minus(TOUCH_INTERVAL));
            }
        } catch (RuntimeException e) {
            if (e instanceof AuthenticationException refused) {
                throw refused;
            }
            // Not a refusal. The database is down: 503 from the API's entry point (CredentialsNotCheckedException).
            // Anything else is a bug: as Spring's own password check does, an internal failure (500 with an id).
            if (DatabaseOutage.causedBy(e)) {
                throw new CredentialsNotCheckedException("The API key", e);
            }
            throw new InternalAuthenticationServiceException("The API key could not be checked", e);
        }
        return ApiKeyAuthentication.authenticated(
                new ApiKeyPrincipal(key.getId(), key.getOrgId(), key.getKeyPrefix(), key.getRole()));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}

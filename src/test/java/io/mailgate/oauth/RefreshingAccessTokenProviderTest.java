package io.mailgate.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshingAccessTokenProviderTest {

    private final EntraSimulator entra = new EntraSimulator();
    private final MutableClock clock = new MutableClock();
    private final Store store = new Store();
    private final TokenService tokens = new TokenService(
            new OAuthClientSettings(
                    GraphCloud.GLOBAL,
                    entra.baseUrl(),
                    EntraSimulator.CLIENT_ID,
                    EntraSimulator.TENANT,
                    ClientCredential.secret(EntraSimulator.SECRET)),
            ConnectionHttpClients.create(HttpSettings.of(null, null)),
            clock);
    private final RefreshingAccessTokenProvider provider = new RefreshingAccessTokenProvider(tokens, store, clock);

    @AfterEach
    void stop() {
        entra.close();
    }

    @Test
    void cachesTheAccessTokenUntilFiveMinutesBeforeExpiryAndPersistsEachRotation() throws Exception {
        String first = entra.issueRefreshToken();
        store.refreshToken = first;

        String token = provider.accessToken();
        assertThat(provider.accessToken()).isEqualTo(token);
        assertThat(entra.tokenRequests()).isEqualTo(1);
        assertThat(store.saved).hasSize(1);
        assertThat(store.refreshToken).isNotEqualTo(first);

        clock.advance(Duration.ofSeconds(3599).minus(Duration.ofMinutes(5)).minusSeconds(1));
        assertThat(provider.accessToken()).isEqualTo(token);
        assertThat(entra.tokenRequests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        String renewed = provider.accessToken();
        assertThat(renewed).isNotEqualTo(token);
        assertThat(entra.tokenRequests()).isEqualTo(2);
        // the rotated token from the first refresh was used, and the next rotation stored
        assertThat(store.saved).hasSize(2);
        assertThat(entra.scopesOf(renewed)).contains("Mail.ReadWrite");
    }

    @Test
    void keepsTheStoredRefreshTokenWhenEntraReturnsNoNewOne() throws Exception {
        entra.rotateRefreshTokens(false);
        store.refreshToken = entra.issueRefreshToken();
        provider.accessToken();
        assertThat(store.saved).isEmpty();
    }

    @Test
    void aLostGrantStopsTokenRequestsUntilAccessIsGrantedAgain() throws Exception {
        store.refreshToken = entra.issueRefreshToken();
        entra.revokeRefreshTokens();

        OAuthException first = catchThrowableOfType(OAuthException.class, provider::accessToken);
        assertThat(first.failure()).isEqualTo(OAuthFailure.NEEDS_CONSENT);
        assertThat(store.lost).containsExactly(first);
        for (int poll = 0; poll < 5; poll++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(catchThrowableOfType(OAuthException.class, provider::accessToken))
                    .isSameAs(first);
        }
        assertThat(entra.tokenRequests()).isEqualTo(1);
        assertThat(provider.lostGrant()).isSameAs(first);

        // Grant Access stored a new refresh token: the provider works again by itself
        store.refreshToken = entra.issueRefreshToken();
        assertThat(provider.accessToken()).isNotBlank();
        assertThat(provider.lostGrant()).isNull();
        assertThat(entra.tokenRequests()).isEqualTo(2);
    }

    @Test
    void withoutAStoredRefreshTokenItNeedsConsentAndCallsNobody() {
        OAuthException e = catchThrowableOfType(OAuthException.class, provider::accessToken);
        assertThat(e.failure()).isEqualTo(OAuthFailure.NEEDS_CONSENT);
        assertThat(entra.tokenRequests()).isZero();
    }

    @Test
    void appOnlyProviderCachesAndSticksToAPermanentFailure() throws Exception {
        var appOnly = new ClientCredentialsAccessTokenProvider(tokens, clock);
        String token = appOnly.accessToken();
        assertThat(appOnly.accessToken()).isEqualTo(token);
        assertThat(entra.tokenRequests()).isEqualTo(1);

        var wrongSecret = new ClientCredentialsAccessTokenProvider(
                new TokenService(
                        new OAuthClientSettings(
                                GraphCloud.GLOBAL,
                                entra.baseUrl(),
                                EntraSimulator.CLIENT_ID,
                                EntraSimulator.TENANT,
                                ClientCredential.secret("wrong")),
                        ConnectionHttpClients.create(HttpSettings.of(null, null)),
                        clock),
                clock);
        OAuthException e = catchThrowableOfType(OAuthException.class, wrongSecret::accessToken);
        assertThat(catchThrowableOfType(OAuthException.class, wrongSecret::accessToken))
                .isSameAs(e);
        assertThat(entra.tokenRequests()).isEqualTo(2);
    }

    static final class Store implements RefreshTokenStore {
        volatile String refreshToken;
        final List<String> saved = new ArrayList<>();
        final List<OAuthException> lost = new ArrayList<>();

        @Override
        public String load() {
            return refreshToken;
        }

        @Override
        public void save(String refreshToken) {
            this.refreshToken = refreshToken;
            saved.add(refreshToken);
        }

        @Override
        public void grantLost(OAuthException cause) {
            lost.add(cause);
        }
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

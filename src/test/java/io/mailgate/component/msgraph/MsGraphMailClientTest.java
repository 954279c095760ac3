package io.mailgate.component.msgraph;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.oauth.ClientCredential;
import io.mailgate.oauth.ClientCredentialsAccessTokenProvider;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.oauth.GraphCloud;
import io.mailgate.oauth.OAuthClientSettings;
import io.mailgate.oauth.RefreshTokenStore;
import io.mailgate.oauth.RefreshingAccessTokenProvider;
import io.mailgate.oauth.TokenService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsGraphMailClientTest {

    private final GraphSimulator graph = new GraphSimulator();
    private final EntraSimulator entra = new EntraSimulator();
    private final CloseableHttpClient http = ConnectionHttpClients.create(HttpSettings.of(null, null));

    @AfterEach
    void stop() {
        graph.close();
        entra.close();
    }

    private MsGraphMailClient client(String mailbox) {
        return new MsGraphMailClient(http, graph.baseUrl(), mailbox, () -> GraphSimulator.TOKEN);
    }

    private TokenService tokens(String secret) {
        return new TokenService(
                new OAuthClientSettings(
                        GraphCloud.GLOBAL,
                        entra.baseUrl(),
                        EntraSimulator.CLIENT_ID,
                        EntraSimulator.TENANT,
                        ClientCredential.secret(secret)),
                http);
    }

    @Test
    void aWorkingConnectionReportsTheFolderAndItsUnreadCount() {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        me.add(me.wellKnown("inbox"), "a", Instant.parse("2026-11-27T01:00:00Z"));
        me.add(me.wellKnown("inbox"), "b", Instant.parse("2026-11-27T01:01:00Z"));

        GraphConnectionTest result = client(null).testConnection("Inbox");

        assertThat(result.ok()).isTrue();
        assertThat(result.folder().displayName()).isEqualTo("Inbox");
        assertThat(result.folder().unreadItemCount()).isEqualTo(2);
    }

    @Test
    void aDeniedSharedMailboxNamesTheMissingPermission() {
        graph.mailbox("phish@contoso.example");
        graph.deny("phish@contoso.example");

        GraphConnectionTest result = client("phish@contoso.example").testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.PERMISSION_MISSING);
        assertThat(result.missingPermission()).isEqualTo("Mail.ReadWrite.Shared");
        assertThat(result.errorCode()).isEqualTo("ErrorAccessDenied");
        assertThat(result.message()).contains("Mail.ReadWrite.Shared").contains("phish@contoso.example");
    }

    @Test
    void aMissingFolderOrMailboxIsReported() {
        graph.mailbox("me");
        GraphConnectionTest folder = client(null).testConnection("Inbox/Nope");
        assertThat(folder.failure()).isEqualTo(GraphConnectionTest.Failure.FOLDER_NOT_FOUND);
        assertThat(folder.message()).contains("Inbox/Nope");

        GraphConnectionTest mailbox = client("nobody@contoso.example").testConnection("Inbox");
        assertThat(mailbox.failure()).isEqualTo(GraphConnectionTest.Failure.MAILBOX_NOT_FOUND);
        assertThat(mailbox.errorCode()).isEqualTo("ErrorInvalidUser");
    }

    @Test
    void aWrongClientSecretIsATokenFailureWithEntrasCode() {
        graph.mailbox("me");
        var provider = new ClientCredentialsAccessTokenProvider(tokens("wrong-secret"));
        GraphConnectionTest result =
                new MsGraphMailClient(http, graph.baseUrl(), "soc@contoso.example", provider).testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.TOKEN);
        assertThat(result.errorCode()).isEqualTo("AADSTS7000215");
        assertThat(result.message()).contains("Invalid client secret provided").doesNotContain("wrong-secret");
    }

    @Test
    void aLostGrantAsksForConsentAgain() {
        graph.mailbox("me");
        RefreshTokenStore store = new RefreshTokenStore() {
            @Override
            public String load() {
                return "revoked-refresh-token";
            }

            @Override
            public void save(String refreshToken) {}
        };
        GraphConnectionTest result = new MsGraphMailClient(
                        http,
                        graph.baseUrl(),
                        null,
                        new RefreshingAccessTokenProvider(tokens(EntraSimulator.SECRET), store))
                .testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.CONSENT_REQUIRED);
        assertThat(result.errorCode()).isEqualTo("AADSTS70008");
    }

    @Test
    void throttlingBacksOffExponentiallyWithoutRetryAfter() {
        var clock = new MailboxThrottleTestClock();
        MailboxThrottle throttle = new MailboxThrottle(4, clock);
        Instant start = clock.instant();
        assertThat(throttle.throttled(null)).isEqualTo(start.plusSeconds(2));
        clock.now = start.plusSeconds(2);
        assertThat(throttle.throttledUntil()).isNull();
        assertThat(throttle.throttled(null)).isEqualTo(start.plusSeconds(2 + 4));
        clock.now = start.plusSeconds(6);
        assertThat(throttle.throttled(null)).isEqualTo(start.plusSeconds(6 + 8));
        throttle.succeeded();
        clock.now = start.plusSeconds(20);
        assertThat(throttle.throttled(Duration.ofSeconds(30))).isEqualTo(start.plusSeconds(50));
        assertThat(throttle.throttledUntil()).isEqualTo(start.plusSeconds(50));
        for (int i = 0; i < 30; i++) {
            throttle.throttled(null);
        }
        assertThat(throttle.throttledUntil()).isBeforeOrEqualTo(clock.now.plus(MailboxThrottle.MAX_BACKOFF));
    }

    @Test
    void identityAndGraphCallsGoThroughTheConnectionsProxyWithItsCredentials() throws Exception {
        WireMockServer proxy = new WireMockServer(options().dynamicPort());
        proxy.start();
        try {
            String expected = "Basic "
                    + Base64.getEncoder().encodeToString("proxyuser:proxy-pass".getBytes(StandardCharsets.UTF_8));
            proxy.stubFor(any(anyUrl())
                    .atPriority(1)
                    .withHeader("Proxy-Authorization", equalTo(expected))
                    .withHeader("Host", equalTo("localhost:" + graph.port()))
                    .willReturn(aResponse().proxiedFrom(graph.baseUrl())));
            proxy.stubFor(any(anyUrl())
                    .atPriority(1)
                    .withHeader("Proxy-Authorization", equalTo(expected))
                    .withHeader("Host", equalTo("localhost:" + entra.server().port()))
                    .willReturn(aResponse().proxiedFrom(entra.baseUrl().toString())));
            proxy.stubFor(any(anyUrl())
                    .atPriority(5)
                    .willReturn(aResponse().withStatus(407).withHeader("Proxy-Authenticate", "Basic realm=\"corp\"")));

            CloseableHttpClient proxied = ConnectionHttpClients.create(HttpSettings.of(
                    null,
                    new GraphProxy(GraphProxy.Protocol.HTTP, "localhost", proxy.port(), "proxyuser", "proxy-pass")
                            .toProxyServer()));
            TokenService tokens = new TokenService(
                    new OAuthClientSettings(
                            GraphCloud.GLOBAL,
                            entra.baseUrl(),
                            EntraSimulator.CLIENT_ID,
                            EntraSimulator.TENANT,
                            ClientCredential.secret(EntraSimulator.SECRET)),
                    proxied);
            graph.acceptTokens(t -> entra.scopesOf(t) != null);
            GraphSimulator.Mailbox me = graph.mailbox("me");
            me.add(me.wellKnown("inbox"), "via proxy", Instant.parse("2026-11-27T01:00:00Z"));

            GraphConnectionTest result = new MsGraphMailClient(
                            proxied, graph.baseUrl(), null, new ClientCredentialsAccessTokenProvider(tokens))
                    .testConnection("Inbox");

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(result.folder().unreadItemCount()).isEqualTo(1);
            proxy.verify(postRequestedFor(urlPathMatching("/.*/oauth2/v2.0/token"))
                    .withHeader("Proxy-Authorization", equalTo(expected)));
            proxy.verify(getRequestedFor(urlPathMatching("/v1.0/me/mailFolders/inbox"))
                    .withHeader("Proxy-Authorization", equalTo(expected)));
        } finally {
            proxy.stop();
        }
    }

    @Test
    void theConnectionsTrustedCertificateIsUsedForGraph(@TempDir Path dir) throws Exception {
        ServerCertificate certificate = new ServerCertificate(dir);
        try (GraphSimulator tlsGraph = new GraphSimulator(certificate)) {
            tlsGraph.mailbox("me")
                    .add(tlsGraph.mailbox("me").wellKnown("inbox"), "over tls", Instant.parse("2026-11-27T01:00:00Z"));

            GraphConnectionTest untrusted = new MsGraphMailClient(
                            ConnectionHttpClients.create(HttpSettings.of(null, null)),
                            tlsGraph.baseUrl(),
                            null,
                            () -> GraphSimulator.TOKEN)
                    .testConnection("Inbox");
            assertThat(untrusted.failure()).isEqualTo(GraphConnectionTest.Failure.NETWORK);
            assertThat(untrusted.cause()).isInstanceOf(SSLHandshakeException.class);

            GraphConnectionTest trusted = new MsGraphMailClient(
                            ConnectionHttpClients.create(HttpSettings.of(certificate.trustingIt(), null)),
                            tlsGraph.baseUrl(),
                            null,
                            () -> GraphSimulator.TOKEN)
                    .testConnection("Inbox");
            assertThat(trusted.ok()).as(trusted.toString()).isTrue();
            assertThat(trusted.folder().unreadItemCount()).isEqualTo(1);
        }
    }

    @Test
    void atMostFourRequestsPerMailboxAndOtherMailboxesAreNotHeldUp() throws Exception {
        GraphSimulator.Mailbox shared = graph.mailbox("busy@contoso.example");
        List<GraphSimulator.Message> messages = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            messages.add(shared.add(
                    shared.wellKnown("inbox"),
                    "m" + i,
                    Instant.parse("2026-11-27T01:00:00Z").plusSeconds(i)));
        }
        GraphSimulator.Mailbox other = graph.mailbox("quiet@contoso.example");
        other.add(other.wellKnown("inbox"), "q", Instant.parse("2026-11-27T01:00:00Z"));
        MsGraphMailClient busy = client("busy@contoso.example");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            graph.holdPatches();
            List<Future<?>> patches = new ArrayList<>();
            for (GraphSimulator.Message m : messages) {
                patches.add(pool.submit(() -> {
                    busy.markRead(m.id);
                    return null;
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> graph.patchesInFlight() == 4);
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> graph.patchesInFlight() == 4);

            assertThat(client("quiet@contoso.example").testConnection("Inbox").ok())
                    .isTrue();

            graph.releasePatches();
            for (Future<?> patch : patches) {
                patch.get(10, TimeUnit.SECONDS);
            }
            assertThat(messages).allSatisfy(m -> assertThat(m.read).isTrue());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theProxyPasswordIsNeverShown() {
        var proxy = new GraphProxy(GraphProxy.Protocol.HTTP, "proxy.example", 3128, "u", "proxy-pass");
        assertThat(proxy.toString()).doesNotContain("proxy-pass").contains("password=***");
        assertThat(proxy.toProxyServer().toString())
                .doesNotContain("proxy-pass")
                .contains("password=***");
        assertThat(HttpSettings.of(null, proxy.toProxyServer()).toString()).doesNotContain("proxy-pass");
    }
}

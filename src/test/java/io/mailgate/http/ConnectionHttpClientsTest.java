package io.mailgate.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.mailgate.component.ews.ConnectProxy;
import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.component.msgraph.ServerCertificate;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one factory's clients against real sockets: a CONNECT proxy (plain or over TLS, Basic or NTLM) with its own
 * certificate, an HTTPS server (the Graph simulator) with another, and WireMock for redirects and slow answers.
 */
class ConnectionHttpClientsTest {

    private static final String PROXY_PASSWORD = "pr0xy-Pa55-word";

    @TempDir
    Path dir;

    private ServerCertificate proxyCertificate;
    private ServerCertificate serverCertificate;
    private GraphSimulator server;
    private ConnectProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxyCertificate = new ServerCertificate(Files.createDirectory(dir.resolve("proxy")));
        serverCertificate = new ServerCertificate(Files.createDirectory(dir.resolve("server")));
        server = new GraphSimulator(serverCertificate);
        server.mailbox("me");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    private static HttpSettings settings(SSLContext trust, ProxyServer proxy) {
        return HttpSettings.of(trust, proxy);
    }

    private int getInbox(CloseableHttpClient client) throws IOException {
        HttpGet get = new HttpGet(server.baseUrl() + "/v1.0/me/mailFolders/inbox");
        get.setHeader("Authorization", "Bearer " + GraphSimulator.TOKEN);
        try (ClassicHttpResponse response = client.executeOpen(null, get, null)) {
            String body = EntityUtils.toString(response.getEntity());
            assertThat(body).contains("Inbox");
            return response.getCode();
        } catch (ParseException e) {
            throw new IOException(e);
        }
    }

    @Test
    void tlsToAnHttpsProxyWithBasicCredentialsThenTlsToTheServerBothWithTheConnectionsTrust() throws Exception {
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, proxyCertificate.presentingIt());
        try (CloseableHttpClient client = ConnectionHttpClients.create(settings(
                ServerCertificate.trusting(proxyCertificate, serverCertificate),
                new ProxyServer(true, "localhost", proxy.port(), "proxyuser", PROXY_PASSWORD)))) {

            assertThat(getInbox(client)).isEqualTo(200);
            // a bearer token set by the caller is kept, the proxy's credentials were asked for and given
            assertThat(proxy.refusals).isNotEmpty();
            assertThat(proxy.tunnels).containsExactly("localhost:" + server.port());
        }
    }

    @Test
    void anNtlmProxyWithADomainAccountOpensTheTunnel() throws Exception {
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, null, true);
        try (CloseableHttpClient client = ConnectionHttpClients.create(settings(
                serverCertificate.trustingIt(),
                new ProxyServer(false, "localhost", proxy.port(), "CORP\\proxyuser", PROXY_PASSWORD)))) {

            assertThat(getInbox(client)).isEqualTo(200);
            assertThat(proxy.tunnels).containsExactly("localhost:" + server.port());
        }
    }

    @Test
    void aRefusedTunnelIsTheProxysFailureNotTheServersAnswer() throws Exception {
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, proxyCertificate.presentingIt());
        try (CloseableHttpClient client = ConnectionHttpClients.create(settings(
                ServerCertificate.trusting(proxyCertificate, serverCertificate),
                new ProxyServer(true, "localhost", proxy.port(), "proxyuser", "not-" + PROXY_PASSWORD)))) {

            assertThatThrownBy(() -> getInbox(client)).isInstanceOfSatisfying(ProxyTunnelRefusedException.class, e -> {
                assertThat(e.credentialsRefused()).isTrue();
                assertThat(e.getMessage())
                        .contains("proxy localhost:" + proxy.port())
                        .contains("refused the user name or password of proxyuser")
                        .contains("407")
                        .doesNotContain(PROXY_PASSWORD);
            });
            assertThat(proxy.tunnels).isEmpty();
        }
    }

    @Test
    void tlsFailuresSayWhetherTheProxyOrTheServerBehindItIsNotTrusted() throws Exception {
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, proxyCertificate.presentingIt());
        ProxyServer https = new ProxyServer(true, "localhost", proxy.port(), "proxyuser", PROXY_PASSWORD);
        try (CloseableHttpClient trustsOnlyTheServer =
                        ConnectionHttpClients.create(settings(serverCertificate.trustingIt(), https));
                CloseableHttpClient trustsOnlyTheProxy =
                        ConnectionHttpClients.create(settings(proxyCertificate.trustingIt(), https))) {

            assertThatThrownBy(() -> getInbox(trustsOnlyTheServer))
                    .isInstanceOf(ProxyTlsException.class)
                    .hasMessageContaining("TLS with the proxy localhost:" + proxy.port());
            assertThat(proxy.tunnels).isEmpty();

            assertThatThrownBy(() -> getInbox(trustsOnlyTheProxy))
                    .isInstanceOf(SSLHandshakeException.class)
                    .isNotInstanceOf(ProxyTlsException.class)
                    .hasMessageContaining(
                            "TLS with localhost:" + server.port() + " (through the proxy localhost:" + proxy.port());
        }
    }

    @Test
    void theJvmsAuthoritiesAloneDoNotTrustAnUploadedServerCertificate() throws Exception {
        try (CloseableHttpClient jvmDefault = ConnectionHttpClients.create(settings(null, null));
                CloseableHttpClient uploaded =
                        ConnectionHttpClients.create(settings(serverCertificate.trustingIt(), null))) {
            assertThatThrownBy(() -> getInbox(jvmDefault)).isInstanceOf(SSLHandshakeException.class);
            assertThat(getInbox(uploaded)).isEqualTo(200);
        }
    }

    @Test
    void redirectsAreNotFollowedAndTheResponseTimeoutApplies() throws Exception {
        WireMockServer wiremock = new WireMockServer(options().dynamicPort());
        wiremock.start();
        try (CloseableHttpClient client = ConnectionHttpClients.create(
                settings(null, null).withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(300)))) {
            wiremock.stubFor(get(urlEqualTo("/moved"))
                    .willReturn(aResponse().withStatus(302).withHeader("Location", "http://elsewhere.invalid/steal")));
            wiremock.stubFor(get(urlEqualTo("/slow"))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

            try (ClassicHttpResponse moved =
                    client.executeOpen(null, new HttpGet(wiremock.baseUrl() + "/moved"), null)) {
                assertThat(moved.getCode()).isEqualTo(302);
            }
            assertThatThrownBy(() -> client.executeOpen(null, new HttpGet(wiremock.baseUrl() + "/slow"), null)
                            .close())
                    .isInstanceOf(SocketTimeoutException.class);
        } finally {
            wiremock.stop();
        }
    }

    @Test
    void settingsAndProxiesNeverShowThePassword() {
        ProxyServer p = new ProxyServer(true, "proxy.example", 3128, "u", PROXY_PASSWORD);
        assertThat(p.toString()).doesNotContain(PROXY_PASSWORD).contains("password=***");
        assertThat(HttpSettings.of(null, p).toString()).doesNotContain(PROXY_PASSWORD);
        assertThat(new ConnectionHttpClients.ServerLogin(
                                URI.create("https://mail.example"), "u", PROXY_PASSWORD, List.of("NTLM"))
                        .toString())
                .doesNotContain(PROXY_PASSWORD);
    }
}

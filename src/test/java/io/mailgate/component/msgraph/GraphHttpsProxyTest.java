package io.mailgate.component.msgraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.ews.ConnectProxy;
import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.http.ProxyTlsException;
import io.mailgate.http.ProxyTunnelRefusedException;
import io.mailgate.oauth.ClientCredential;
import io.mailgate.oauth.ClientCredentialsAccessTokenProvider;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.oauth.GraphCloud;
import io.mailgate.oauth.OAuthClientSettings;
import io.mailgate.oauth.TokenService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph and Entra ID through a proxy spoken to over TLS (proxy protocol HTTPS), with the client of
 * {@link ConnectionHttpClients}: a real CONNECT proxy with its own certificate and Basic authentication, and the
 * Graph simulator over HTTPS with another certificate.
 */
class GraphHttpsProxyTest {

    private static final String PROXY_PASSWORD = "s3cret-proxy-Pa55";

    @TempDir
    Path dir;

    private ServerCertificate proxyCertificate;
    private ServerCertificate graphCertificate;
    private ConnectProxy proxy;
    private GraphSimulator graph;
    private final List<CloseableHttpClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        proxyCertificate = new ServerCertificate(Files.createDirectory(dir.resolve("proxy")));
        graphCertificate = new ServerCertificate(Files.createDirectory(dir.resolve("graph")));
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, proxyCertificate.presentingIt());
        graph = new GraphSimulator(graphCertificate);
    }

    @AfterEach
    void stop() throws IOException {
        for (CloseableHttpClient c : clients) {
            c.close();
        }
        graph.close();
        proxy.close();
    }

    private CloseableHttpClient client(String password, SSLContext trust) {
        CloseableHttpClient client = ConnectionHttpClients.create(HttpSettings.of(
                trust,
                new GraphProxy(GraphProxy.Protocol.HTTPS, "localhost", proxy.port(), "proxyuser", password)
                        .toProxyServer()));
        clients.add(client);
        return client;
    }

    private MsGraphMailClient graphClient(CloseableHttpClient http) {
        return new MsGraphMailClient(http, graph.baseUrl(), null, () -> GraphSimulator.TOKEN);
    }

    @Test
    void listsDownloadsAndMarksReadThroughTheHttpsProxyWithItsCredentials() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Message small =
                me.add(me.wellKnown("inbox"), "small one", Instant.parse("2026-11-27T01:00:00Z"));
        // a message of several hundred kilobytes streams to its file whole
        StringBuilder subject = new StringBuilder();
        for (int i = 0; subject.length() < 300_000; i++) {
            subject.append("chunk ").append(i).append(' ');
        }
        GraphSimulator.Message large =
                me.add(me.wellKnown("inbox"), subject.toString(), Instant.parse("2026-11-27T01:01:00Z"));
        MsGraphMailClient client =
                graphClient(client(PROXY_PASSWORD, ServerCertificate.trusting(proxyCertificate, graphCertificate)));

        GraphFolder inbox = client.resolveFolder("Inbox");
        List<GraphMessage> unread = client.listUnread(inbox.id(), 10, 10);
        assertThat(unread).extracting(GraphMessage::id).containsExactly(small.id, large.id);

        for (GraphSimulator.Message m : List.of(small, large)) {
            Path file = dir.resolve("message-" + m.internetMessageId.hashCode() + ".eml");
            client.download(m.id, file);
            byte[] expected = m.mime.getBytes(StandardCharsets.UTF_8);
            byte[] downloaded = Files.readAllBytes(file);
            assertThat(downloaded).hasSize(expected.length);
            assertThat(sha256(downloaded)).isEqualTo(sha256(expected));
        }
        assertThat(large.mime.length()).isGreaterThan(256 * 1024);

        client.markRead(small.id);
        assertThat(small.read).isTrue();
        assertThat(large.read).isFalse();
        assertThat(client.listUnread(inbox.id(), 10, 10))
                .extracting(GraphMessage::id)
                .containsExactly(large.id);

        // every request went through the tunnel; the proxy asked for credentials and got them
        assertThat(proxy.tunnels).isNotEmpty().allSatisfy(t -> assertThat(t).isEqualTo("localhost:" + graph.port()));
        assertThat(proxy.refusals).isNotEmpty();
    }

    @Test
    void entraIdTokensAndGraphBothGoThroughTheHttpsProxy() throws Exception {
        ServerCertificate entraCertificate = new ServerCertificate(Files.createDirectory(dir.resolve("entra")));
        try (EntraSimulator entra = new EntraSimulator(entraCertificate.keystore, ServerCertificate.PASSWORD)) {
            assertThat(entra.baseUrl().getScheme()).isEqualTo("https");
            CloseableHttpClient http = client(
                    PROXY_PASSWORD, ServerCertificate.trusting(proxyCertificate, graphCertificate, entraCertificate));
            TokenService tokens = new TokenService(
                    new OAuthClientSettings(
                            GraphCloud.GLOBAL,
                            entra.baseUrl(),
                            EntraSimulator.CLIENT_ID,
                            EntraSimulator.TENANT,
                            ClientCredential.secret(EntraSimulator.SECRET)),
                    http);
            graph.acceptTokens(t -> entra.scopesOf(t) != null);
            GraphSimulator.Mailbox me = graph.mailbox("me");
            me.add(me.wellKnown("inbox"), "via the https proxy", Instant.parse("2026-11-27T01:00:00Z"));

            GraphConnectionTest result = new MsGraphMailClient(
                            http, graph.baseUrl(), null, new ClientCredentialsAccessTokenProvider(tokens))
                    .testConnection("Inbox");

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(result.folder().unreadItemCount()).isEqualTo(1);
            assertThat(entra.tokenRequests()).isEqualTo(1);
            assertThat(proxy.tunnels).contains("localhost:" + entra.baseUrl().getPort(), "localhost:" + graph.port());
        }
    }

    @Test
    void aWrongProxyPasswordIsAClear407Failure() throws Exception {
        graph.mailbox("me");
        CloseableHttpClient http =
                client("wrong-" + PROXY_PASSWORD, ServerCertificate.trusting(proxyCertificate, graphCertificate));

        GraphConnectionTest result = graphClient(http).testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.NETWORK);
        assertThat(result.message())
                .contains("proxy localhost:" + proxy.port())
                .contains("407")
                .contains("refused the user name or password of proxyuser")
                .doesNotContain(PROXY_PASSWORD);
        assertThat(proxy.tunnels).isEmpty();
        assertThat(result.cause()).isInstanceOf(ProxyTunnelRefusedException.class);
        assertNoPassword(result.cause());
    }

    @Test
    void anUntrustedProxyCertificateIsATlsFailureNamingTheProxy() throws Exception {
        graph.mailbox("me");
        // the connection trusts Graph's certificate only, not the proxy's
        CloseableHttpClient http = client(PROXY_PASSWORD, graphCertificate.trustingIt());

        GraphConnectionTest result = graphClient(http).testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.NETWORK);
        assertThat(result.cause()).isInstanceOf(ProxyTlsException.class).isInstanceOf(SSLException.class);
        assertThat(result.message())
                .contains("TLS with the proxy localhost:" + proxy.port())
                .doesNotContain(PROXY_PASSWORD);
        assertThat(proxy.tunnels).isEmpty();
        assertNoPassword(result.cause());
    }

    @Test
    void anUntrustedGraphCertificateBehindTheProxyIsNamedAsGraphs() throws Exception {
        graph.mailbox("me");
        CloseableHttpClient http = client(PROXY_PASSWORD, proxyCertificate.trustingIt());

        GraphConnectionTest result = graphClient(http).testConnection("Inbox");

        assertThat(result.failure()).isEqualTo(GraphConnectionTest.Failure.NETWORK);
        assertThat(result.cause()).isInstanceOf(SSLException.class).isNotInstanceOf(ProxyTlsException.class);
        assertThat(result.message())
                .contains("TLS with localhost:" + graph.port() + " (through the proxy localhost:" + proxy.port());
        assertThat(proxy.tunnels).containsExactly("localhost:" + graph.port());
    }

    private static void assertNoPassword(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(PROXY_PASSWORD);
            assertThat(t.toString()).doesNotContain(PROXY_PASSWORD);
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package io.mailgate.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.component.ews.ConnectProxy;
import io.mailgate.component.msgraph.GraphConnectionTest;
import io.mailgate.component.msgraph.GraphProxy;
import io.mailgate.component.msgraph.MsGraphMailClient;
import io.mailgate.component.msgraph.ServerCertificate;
import io.mailgate.connectiontest.TestCodes;
import io.mailgate.connectiontest.TestResult;
import io.mailgate.connectiontest.TestStage;
import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.tls.CapturingTrustManager;
import io.mailgate.tls.CertificateInfo;
import io.mailgate.tls.Certificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the connection test of an OAUTH connection reports its HTTPS proxy's failures: the same
 * capturing trust as {@link GraphConnectionTests#test}, a real TLS CONNECT proxy, the real Graph client.
 */
class GraphConnectionTestsProxyTest {

    private static final String PROXY_PASSWORD = "proxy-Pa55-word";

    @TempDir
    Path dir;

    private ServerCertificate proxyCertificate;
    private ConnectProxy proxy;

    @BeforeEach
    void start() throws Exception {
        proxyCertificate = new ServerCertificate(dir);
        proxy = new ConnectProxy("proxyuser", PROXY_PASSWORD, proxyCertificate.presentingIt());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private TestResult test(String password, List<X509Certificate> trusted) {
        CapturingTrustManager capture = CapturingTrustManager.forConnection(trusted);
        var http = ConnectionHttpClients.create(HttpSettings.of(
                capture.sslContext(),
                new GraphProxy(GraphProxy.Protocol.HTTPS, "localhost", proxy.port(), "proxyuser", password)
                        .toProxyServer()));
        // the proxy fails before any tunnel, so nothing needs to listen behind it
        GraphConnectionTest outcome =
                new MsGraphMailClient(http, "https://graph.invalid", null, () -> "token").testConnection("Inbox");
        assertThat(outcome.failure()).isEqualTo(GraphConnectionTest.Failure.NETWORK);
        return GraphConnectionTests.network(outcome, capture, outcome.message());
    }

    @Test
    void anUntrustedProxyCertificateIsShownAtTheProxyStageToBeTrusted() {
        TestResult result = test(PROXY_PASSWORD, List.of());

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(result.message())
                .contains("TLS with the proxy localhost:" + proxy.port())
                .doesNotContain(PROXY_PASSWORD);
        assertThat(result.serverCertificates())
                .extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.sha256(proxyCertificate.certificate));
        assertThat(proxy.tunnels).isEmpty();
    }

    @Test
    void aWrongProxyPasswordOnceTheProxyIsTrustedIsProxyAuthFailed() {
        TestResult result = test("not-" + PROXY_PASSWORD, List.of(proxyCertificate.certificate));

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.PROXY_AUTH_FAILED);
        assertThat(result.message())
                .contains("refused the user name or password of proxyuser")
                .contains("407")
                .doesNotContain(PROXY_PASSWORD);
        assertThat(proxy.refusals).isNotEmpty();
        assertThat(proxy.tunnels).isEmpty();
    }
}

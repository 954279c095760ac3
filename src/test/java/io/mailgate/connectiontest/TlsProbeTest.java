package io.mailgate.connectiontest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.tls.CertificateInfo;
import io.mailgate.tls.Certificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TLS to an HTTPS endpoint, directly and through HTTP and HTTPS proxies, with the IMAP test's codes. */
class TlsProbeTest {

    private static final String PROXY_USER = "proxy-user";
    private static final String PROXY_PASSWORD = "Pr0xy-s3cret";

    private static final TestCertificates.Issued SERVER =
            TestCertificates.selfSigned("localhost", List.of("localhost"));
    private static final TestCertificates.Issued PROXY =
            TestCertificates.selfSigned("localhost", List.of("localhost", "127.0.0.1"));
    private static final TestCertificates.Issued OTHER_HOST =
            TestCertificates.selfSigned("graph.other.example", List.of("graph.other.example"));

    private final TlsProbe probe = new TlsProbe(Duration.ofSeconds(5));
    private final List<AutoCloseable> servers = new ArrayList<>();
    private int serverPort;

    @BeforeEach
    void endpoint() throws Exception {
        // The TLS front needs something behind it; a listening socket that is never read will do.
        ServerSocket sink = start(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        serverPort = start(ImapFront.implicitTls(SERVER, sink.getLocalPort())).port();
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void directUntrustedThenTrusted() {
        TestResult refused = probe("localhost", serverPort, null, List.of(), List.of());
        assertThat(refused.stage()).isEqualTo(TestStage.TLS);
        assertThat(refused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(refused.message())
                .isEqualTo("The certificate of localhost:" + serverPort + " is not trusted (self-signed).");

        TestResult trusted = probe("localhost", serverPort, null, List.of(fromAnswer(refused, 0)), List.of());
        assertThat(trusted.ok()).isTrue();
        assertThat(trusted.stage()).isEqualTo(TestStage.TLS);
    }

    @Test
    void directHostnameMismatchEvenWhenTrusted() throws Exception {
        ServerSocket sink = start(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        int port = start(ImapFront.implicitTls(OTHER_HOST, sink.getLocalPort())).port();

        TestResult result = probe("localhost", port, null, List.of(OTHER_HOST.certificate()), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.TLS);
        assertThat(result.code()).isEqualTo(TestCodes.HOSTNAME_MISMATCH);
        assertThat(result.message()).contains("is for graph.other.example, not for localhost");
    }

    @Test
    void throughAnHttpProxyWithBasicAuthentication() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.http(PROXY_USER, PROXY_PASSWORD));

        TestResult result = probe(
                "localhost", serverPort, httpProxy(proxy, PROXY_PASSWORD), List.of(SERVER.certificate()), List.of());

        assertThat(result.ok()).isTrue();
        assertThat(result.message()).contains("through the proxy localhost:" + proxy.port());
    }

    @Test
    void wrongProxyPassword() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.http(PROXY_USER, PROXY_PASSWORD));
        String wrong = "not-the-Pr0xy-password";

        TestResult result =
                probe("localhost", serverPort, httpProxy(proxy, wrong), List.of(SERVER.certificate()), List.of());

        assertThat(result.ok()).isFalse();
        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.PROXY_AUTH_FAILED);
        assertThat(result.message())
                .isEqualTo("The proxy localhost:" + proxy.port() + " refused the user name or password of " + PROXY_USER
                        + ".")
                .doesNotContain(wrong);
    }

    @Test
    void proxyWithoutCredentialsWhenItNeedsThem() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.http(PROXY_USER, PROXY_PASSWORD));

        TestResult result = probe(
                "localhost",
                serverPort,
                new ProxyProbe("HTTP", "localhost", proxy.port(), null, null),
                List.of(SERVER.certificate()),
                List.of());

        assertThat(result.code()).isEqualTo(TestCodes.PROXY_AUTH_FAILED);
        assertThat(result.message()).endsWith("requires a user name and password.");
    }

    @Test
    void httpsProxyCertificateIsTrustedSeparatelyFromTheServers() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.https(PROXY, PROXY_USER, PROXY_PASSWORD));
        ProxyProbe viaProxy = new ProxyProbe("HTTPS", "localhost", proxy.port(), PROXY_USER, PROXY_PASSWORD);

        TestResult refused = probe("localhost", serverPort, viaProxy, List.of(SERVER.certificate()), List.of());
        assertThat(refused.stage()).isEqualTo(TestStage.PROXY);
        assertThat(refused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(refused.message())
                .isEqualTo("The certificate of the proxy localhost:" + proxy.port() + " is not trusted (self-signed).");
        assertThat(refused.serverCertificates())
                .extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.sha256(PROXY.certificate()));

        // Trusting the proxy's certificate for the server does not make the proxy trusted.
        TestResult wrongList = probe(
                "localhost", serverPort, viaProxy, List.of(SERVER.certificate(), fromAnswer(refused, 0)), List.of());
        assertThat(wrongList.stage()).isEqualTo(TestStage.PROXY);
        assertThat(wrongList.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);

        TestResult trusted = probe(
                "localhost", serverPort, viaProxy, List.of(SERVER.certificate()), List.of(fromAnswer(refused, 0)));
        assertThat(trusted.ok()).isTrue();

        // Past a trusted proxy, an untrusted server is the server's problem, at stage TLS.
        TestResult serverRefused = probe("localhost", serverPort, viaProxy, List.of(), List.of(PROXY.certificate()));
        assertThat(serverRefused.stage()).isEqualTo(TestStage.TLS);
        assertThat(serverRefused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(serverRefused.serverCertificates())
                .extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.sha256(SERVER.certificate()));
    }

    @Test
    void httpsProxyReachedByAnotherNameIsAMismatch() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.https(OTHER_HOST, PROXY_USER, PROXY_PASSWORD));

        TestResult result = probe(
                "localhost",
                serverPort,
                new ProxyProbe("HTTPS", "127.0.0.1", proxy.port(), PROXY_USER, PROXY_PASSWORD),
                List.of(SERVER.certificate()),
                List.of(OTHER_HOST.certificate()));

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.HOSTNAME_MISMATCH);
        assertThat(result.message()).startsWith("The certificate of the proxy 127.0.0.1:" + proxy.port());
    }

    @Test
    void proxyThatCannotReachTheServer() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.http(PROXY_USER, PROXY_PASSWORD));
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }

        TestResult result = probe("localhost", closed, httpProxy(proxy, PROXY_PASSWORD), List.of(), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.PROXY_CONNECT_FAILED);
        assertThat(result.message())
                .isEqualTo("The proxy localhost:" + proxy.port() + " did not open a tunnel to" + " localhost:" + closed
                        + "; it answered: HTTP/1.1 502 Bad Gateway.");
    }

    @Test
    void plainHttpToAnHttpsProxySaysToCheckTheProtocol() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.https(PROXY, PROXY_USER, PROXY_PASSWORD));

        TestResult result = probe("localhost", serverPort, httpProxy(proxy, PROXY_PASSWORD), List.of(), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.CONNECTION_CLOSED);
        assertThat(result.message())
                .isEqualTo("The proxy localhost:" + proxy.port() + " closed the connection"
                        + " during the PROXY stage. Check the protocol of the proxy (HTTP or HTTPS) and its port.");
    }

    @Test
    void httpsToAPlainHttpProxySaysItIsNotTls() throws Exception {
        ConnectProxy proxy = start(ConnectProxy.http(PROXY_USER, PROXY_PASSWORD));

        TestResult result = probe(
                "localhost",
                serverPort,
                new ProxyProbe("HTTPS", "localhost", proxy.port(), PROXY_USER, PROXY_PASSWORD),
                List.of(),
                List.of());

        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        assertThat(result.code()).isEqualTo(TestCodes.TLS_HANDSHAKE_FAILED);
        assertThat(result.message())
                .isEqualTo("The proxy localhost:" + proxy.port() + " does not answer with TLS."
                        + " Check the port and the encryption method of the proxy (HTTP or HTTPS).");
    }

    @Test
    void unknownProxyHost() {
        TestResult result = probe(
                "localhost",
                serverPort,
                new ProxyProbe("HTTP", "no-such-proxy.invalid", 3128, PROXY_USER, PROXY_PASSWORD),
                List.of(),
                List.of());

        assertThat(result.stage()).isEqualTo(TestStage.DNS);
        assertThat(result.code()).isEqualTo(TestCodes.UNKNOWN_HOST);
        assertThat(result.message()).contains("no-such-proxy.invalid of the proxy");
    }

    @Test
    void closedProxyPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        TestResult result = probe(
                "localhost", serverPort, new ProxyProbe("HTTP", "localhost", port, null, null), List.of(), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.CONNECT);
        assertThat(result.code()).isEqualTo(TestCodes.CONNECTION_REFUSED);
        assertThat(result.message()).contains("the proxy localhost:" + port);
    }

    @Test
    void silentProxyTimesOutWithinTheBound() throws Exception {
        ServerSocket silent = start(new ServerSocket(0, 10, InetAddress.getLoopbackAddress()));
        TlsProbe quick = new TlsProbe(Duration.ofSeconds(2));

        long start = System.nanoTime();
        TestResult result = quick.probe(
                "localhost",
                serverPort,
                new ProxyProbe("HTTP", "localhost", silent.getLocalPort(), PROXY_USER, PROXY_PASSWORD),
                List.of(),
                List.of());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
        assertThat(result.code()).isEqualTo(TestCodes.TIMEOUT);
        assertThat(result.stage()).isEqualTo(TestStage.PROXY);
        ImapConnectionTesterTest.assertClean(result);
    }

    @Test
    void proxyToStringHidesThePassword() {
        assertThat(new ProxyProbe("https", "p", 3128, PROXY_USER, PROXY_PASSWORD).toString())
                .doesNotContain(PROXY_PASSWORD)
                .contains("HTTPS");
    }

    private TestResult probe(
            String host,
            int port,
            ProxyProbe proxy,
            List<X509Certificate> trusted,
            List<X509Certificate> trustedForProxy) {
        TestResult result = probe.probe(host, port, proxy, trusted, trustedForProxy);
        assertThat(result.message()).doesNotContain(PROXY_PASSWORD).doesNotContain("Exception");
        return result;
    }

    private static ProxyProbe httpProxy(ConnectProxy proxy, String password) {
        return new ProxyProbe("HTTP", "localhost", proxy.port(), PROXY_USER, password);
    }

    private static X509Certificate fromAnswer(TestResult result, int index) {
        return Certificates.parseOne(
                result.serverCertificates().get(index).pem().getBytes(StandardCharsets.US_ASCII));
    }

    private <T extends AutoCloseable> T start(T server) {
        servers.add(server);
        return server;
    }
}

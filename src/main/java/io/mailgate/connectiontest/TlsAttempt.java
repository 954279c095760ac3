package io.mailgate.connectiontest;

import io.mailgate.tls.CapturingTrustManager;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** One run of a {@link TlsProbe}; lives on the {@link Deadline}'s thread. */
final class TlsAttempt {

    private static final int MAX_PROXY_HEADER = 16 * 1024;

    private final String host;
    private final int port;
    private final ProxyProbe proxy;
    private final CapturingTrustManager serverTrust;
    private final CapturingTrustManager proxyTrust;
    private final Duration timeout;
    private final Endpoint server;
    private final Endpoint proxyEndpoint;
    private volatile Endpoint current;
    private volatile TestStage progress = TestStage.DNS;
    private volatile Socket socket;

    TlsAttempt(
            String host,
            int port,
            ProxyProbe proxy,
            List<X509Certificate> trusted,
            List<X509Certificate> trustedForProxy,
            Duration timeout) {
        this.host = host;
        this.port = port;
        this.proxy = proxy;
        this.serverTrust = CapturingTrustManager.forConnection(trusted);
        this.proxyTrust = CapturingTrustManager.forConnection(trustedForProxy);
        this.timeout = timeout;
        this.server = Endpoint.server(host, port);
        this.proxyEndpoint = proxy == null ? null : Endpoint.proxy(proxy.host(), proxy.port());
        this.current = proxy == null ? server : proxyEndpoint;
    }

    Endpoint currentEndpoint() {
        return current;
    }

    TestStage progress() {
        return progress;
    }

    TestResult run() {
        Endpoint first = current;
        InetAddress address;
        try {
            address = InetAddress.getByName(first.host());
        } catch (UnknownHostException e) {
            return Failures.unknownHost(first);
        }
        try {
            progress = TestStage.CONNECT;
            Socket plain = new Socket();
            socket = plain;
            plain.connect(new InetSocketAddress(address, first.port()), (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            Socket toServer = plain;
            if (proxy != null) {
                progress = TestStage.PROXY;
                Socket toProxy = proxy.tls() ? handshake(plain, proxyEndpoint, proxyTrust) : plain;
                TestResult refused = openTunnel(toProxy);
                if (refused != null) {
                    return refused;
                }
                toServer = toProxy;
                current = server;
            }
            progress = TestStage.TLS;
            handshake(toServer, server, serverTrust);
            return TestResult.passed(
                    TestStage.TLS,
                    "TLS with " + server.describe() + (proxy == null ? "" : " through " + proxyEndpoint.describe())
                            + " works and its certificate is trusted.");
        } catch (IOException e) {
            CapturingTrustManager capture = current == server ? serverTrust : proxyTrust;
            return Failures.classify(e, current, capture, progress, timeout);
        } finally {
            abort();
        }
    }

    /** TLS over an existing socket, verifying the host name as HTTPS does. */
    private Socket handshake(Socket under, Endpoint endpoint, CapturingTrustManager trust) throws IOException {
        current = endpoint;
        SSLSocket tls = (SSLSocket)
                trust.sslContext().getSocketFactory().createSocket(under, endpoint.host(), endpoint.port(), true);
        socket = tls;
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout((int) timeout.toMillis());
        tls.startHandshake();
        return tls;
    }

    /** Asks the proxy for a tunnel; null when it is open, else the failure to answer. */
    private TestResult openTunnel(Socket toProxy) throws IOException {
        current = proxyEndpoint;
        String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        StringBuilder request = new StringBuilder()
                .append("CONNECT ")
                .append(target)
                .append(" HTTP/1.1\r\n")
                .append("Host: ")
                .append(target)
                .append("\r\n");
        if (proxy.username() != null && !proxy.username().isEmpty()) {
            String credentials = proxy.username() + ":" + (proxy.password() == null ? "" : proxy.password());
            request.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = toProxy.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine =
                readHeader(toProxy.getInputStream()).lines().findFirst().orElse("");
        String[] parts = statusLine.split(" ", 3);
        int status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? parseStatus(parts[1]) : -1;
        if (status == 200) {
            return null;
        }
        if (status == 407) {
            boolean gaveCredentials =
                    proxy.username() != null && !proxy.username().isEmpty();
            return TestResult.failure(
                    TestStage.PROXY,
                    TestCodes.PROXY_AUTH_FAILED,
                    gaveCredentials
                            ? proxyEndpoint.atStart() + " refused the user name or password of " + proxy.username()
                                    + "."
                            : proxyEndpoint.atStart() + " requires a user name and password.");
        }
        String said = statusLine.length() > 200 ? statusLine.substring(0, 200) + "…" : statusLine;
        return TestResult.failure(
                TestStage.PROXY,
                TestCodes.PROXY_CONNECT_FAILED,
                proxyEndpoint.atStart() + " did not open a tunnel to " + target
                        + (said.isBlank() ? "." : "; it answered: " + said + "."));
    }

    private static int parseStatus(String code) {
        try {
            return Integer.parseInt(code.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the proxy's answer up to the empty line, byte by byte so no byte of the tunnel is consumed. */
    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("The proxy closed the connection");
            }
            header.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (header.size() > MAX_PROXY_HEADER) {
                throw new IOException("The proxy's answer is too long");
            }
        }
        return header.toString(StandardCharsets.ISO_8859_1);
    }

    void abort() {
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // Discarding the connection; nothing to report.
            }
        }
    }
}

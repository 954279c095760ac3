package io.mailgate.http;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.net.Socket;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.auth.AuthSchemeFactory;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.NTCredentials;
import org.apache.hc.client5.http.auth.StandardAuthScheme;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.auth.BasicSchemeFactory;
import org.apache.hc.client5.http.impl.auth.NTLMSchemeFactory;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The one place where mailgate's HTTP clients for Exchange (EWS), Entra ID and Graph are made, each for one connection:
 * its trust, its proxy (HTTP, or HTTPS spoken to over TLS; Basic or NTLM proxy credentials), its timeouts and a
 * small connection pool. One connection's settings never leak into another's and nothing is set JVM-wide.
 *
 * <p>What every client does alike, and why: redirects are never followed (credentials and bearer tokens would go
 * wherever they point; Graph's nextLink is followed by hand, same host only); nothing is retried automatically (the
 * callers decide about throttling, and a poll is the retry); no cookies. A proxy that refuses to open a tunnel fails
 * the request with {@link ProxyTunnelRefusedException} rather than handing back its own answer as if the server had
 * sent it, and TLS that fails with the proxy itself is a {@link ProxyTlsException}, so the connection test can say
 * which of the two hops failed.
 */
public final class ConnectionHttpClients {

    /** Set once the request went past connection set-up; absent, the response is the proxy's answer to CONNECT. */
    private static final String TUNNEL_OPEN = "mailgate.tunnel-open";
    /** Closes a pool nobody closed, once its client is gone (a route's bean dropped from the registry). */
    private static final Cleaner CLEANER = Cleaner.create();

    private ConnectionHttpClients() {}

    /**
     * The server's own sign-in, for a server that challenges (EWS with NTLM or Basic). Clients that send their own
     * {@code Authorization} header (a bearer token) have none.
     *
     * @param schemes the schemes to answer, in order of preference: {@link StandardAuthScheme#NTLM},
     *                {@link StandardAuthScheme#BASIC}
     */
    public record ServerLogin(URI server, String username, String password, List<String> schemes) {
        @Override
        public String toString() {
            return "ServerLogin[" + server + ", username=" + username + ", password=***, schemes=" + schemes + "]";
        }
    }

    public static CloseableHttpClient create(HttpSettings settings) {
        return create(settings, null);
    }

    public static CloseableHttpClient create(HttpSettings settings, ServerLogin login) {
        SSLContext ssl = settings.sslContext() != null ? settings.sslContext() : defaultContext();
        ProxyServer proxy = settings.proxy();
        TlsSocketStrategy tls = new DefaultClientTlsStrategy(ssl); // hostname verification stays on
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                // the same trust decides for the server and for an HTTPS proxy
                .setTlsSocketStrategy(proxy != null && proxy.tls() ? new ProxyNamingTls(tls, proxy) : tls)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                        .setValidateAfterInactivity(Timeout.ofSeconds(2))
                        .build())
                .setMaxConnPerRoute(settings.maxConnections())
                .setMaxConnTotal(settings.maxConnections())
                .build();

        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
        RequestConfig.Builder request = RequestConfig.custom()
                .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                .setRedirectsEnabled(false)
                // corporate proxies ask for Basic or NTLM; NTLM first as it never sends the password
                .setProxyPreferredAuthSchemes(List.of(StandardAuthScheme.NTLM, StandardAuthScheme.BASIC));
        if (login != null) {
            URI server = login.server();
            int port =
                    server.getPort() > 0 ? server.getPort() : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
            char[] password =
                    login.password() == null ? new char[0] : login.password().toCharArray();
            // one entry per scheme: NTLM needs NTCredentials, Basic a user name and password
            credentials.setCredentials(
                    new AuthScope(server.getScheme(), server.getHost(), port, null, StandardAuthScheme.NTLM),
                    ntCredentials(login.username(), password));
            credentials.setCredentials(
                    new AuthScope(server.getScheme(), server.getHost(), port, null, StandardAuthScheme.BASIC),
                    new UsernamePasswordCredentials(login.username(), password));
            request.setTargetPreferredAuthSchemes(login.schemes());
        }
        var builder = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(request.build())
                .setDefaultAuthSchemeRegistry(RegistryBuilder.<AuthSchemeFactory>create()
                        .register(StandardAuthScheme.BASIC, BasicSchemeFactory.INSTANCE)
                        .register(StandardAuthScheme.NTLM, NTLMSchemeFactory.INSTANCE)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent(settings.userAgent());
        if (proxy != null) {
            HttpHost proxyHost = new HttpHost(proxy.tls() ? "https" : "http", proxy.host(), proxy.port());
            builder.setProxy(proxyHost);
            if (proxy.hasCredentials()) {
                char[] password = proxy.password() == null
                        ? new char[0]
                        : proxy.password().toCharArray();
                credentials.setCredentials(
                        new AuthScope(proxyHost, null, StandardAuthScheme.BASIC),
                        new UsernamePasswordCredentials(proxy.username(), password));
                credentials.setCredentials(
                        new AuthScope(proxyHost, null, StandardAuthScheme.NTLM),
                        ntCredentials(proxy.username(), password));
            }
            // Runs only once ConnectExec has a usable route (the tunnel, if any, is open): marks the exchange ...
            builder.addExecInterceptorAfter(
                    ChainElement.CONNECT.name(), "mailgate-tunnel-open", (req, scope, chain) -> {
                        scope.clientContext.setAttribute(TUNNEL_OPEN, Boolean.TRUE);
                        return chain.proceed(req, scope);
                    });
            // ... so that without the mark, the response is the proxy's refusal of CONNECT, not the server's answer.
            builder.addExecInterceptorBefore(
                    ChainElement.CONNECT.name(), "mailgate-tunnel-check", (req, scope, chain) -> {
                        scope.clientContext.removeAttribute(TUNNEL_OPEN);
                        ClassicHttpResponse response = chain.proceed(req, scope);
                        if (scope.clientContext.getAttribute(TUNNEL_OPEN) == null) {
                            int status = response.getCode();
                            String reason = response.getReasonPhrase();
                            response.close();
                            throw tunnelRefused(proxy, scope.route.getTargetHost(), status, reason);
                        }
                        return response;
                    });
        }
        CloseableHttpClient client = builder.build();
        CLEANER.register(client, () -> pool.close(CloseMode.IMMEDIATE));
        return client;
    }

    private static ProxyTunnelRefusedException tunnelRefused(
            ProxyServer proxy, HttpHost target, int status, String reason) {
        String to = target.getHostName() + ":" + target.getPort();
        if (status == 407) {
            return new ProxyTunnelRefusedException(
                    status,
                    "The proxy " + proxy.name()
                            + (proxy.hasCredentials()
                                    ? " refused the user name or password of " + proxy.username()
                                    : " requires a user name and password")
                            + " (HTTP 407 to CONNECT " + to + ")");
        }
        return new ProxyTunnelRefusedException(
                status,
                "The proxy " + proxy.name() + " did not open a tunnel to " + to + " (HTTP " + status
                        + (reason == null || reason.isBlank() ? "" : " " + reason) + ")");
    }

    /** {@code DOMAIN\\user} signs in to that domain; a UPN or plain name to none. */
    @SuppressWarnings("deprecation") // NTLM is what on-premises Exchange and Windows proxies run; httpclient5 keeps it
    private static Credentials ntCredentials(String username, char[] password) {
        int slash = username.indexOf('\\');
        return slash > 0
                ? new NTCredentials(username.substring(slash + 1), password, null, username.substring(0, slash))
                : new NTCredentials(username, password, null, null);
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** Says whether TLS failed with the proxy or with the server behind it; the handshake is the delegate's. */
    private record ProxyNamingTls(TlsSocketStrategy delegate, ProxyServer proxy) implements TlsSocketStrategy {
        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            try {
                return delegate.upgrade(socket, target, port, attachment, context);
            } catch (SSLException e) {
                // the TLS with the proxy is to its host and port; the one inside the tunnel to the server's
                if (target.equalsIgnoreCase(proxy.host()) && port == proxy.port()) {
                    throw new ProxyTlsException("TLS with the proxy " + proxy.name() + " failed: " + e.getMessage(), e);
                }
                SSLHandshakeException named = new SSLHandshakeException("TLS with " + target + ":" + port
                        + " (through the proxy " + proxy.name() + ") failed: " + e.getMessage());
                named.initCause(e);
                throw named;
            }
        }
    }
}

package io.mailgate.component.msgraph;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Builds one connection's HTTP client, used for both Entra ID and Graph: its own proxy, proxy
 * credentials and trust, so one connection's settings never leak into another's.
 *
 * <p>Proxy credentials are sent preemptively as a {@code Proxy-Authorization: Basic} header, not
 * through an {@link java.net.Authenticator}: a java.net.http client with an authenticator drops
 * every {@code Authorization} header the caller sets, which would strip Graph's bearer token. The
 * JDK keeps the header away from the origin server inside a tunnel. For an HTTPS target (a CONNECT
 * tunnel) the JDK sends Basic proxy credentials only when the system property
 * {@code jdk.http.auth.tunneling.disabledSchemes} is set to "" before the first HTTP client is
 * created; the application must set it at start-up.
 *
 * <p>A proxy spoken to over TLS (protocol HTTPS) is beyond java.net.http: that client is a
 * {@link ProxiedOverTlsHttpClient}, which sends with Apache httpclient5 behind the same interface.
 */
public final class GraphHttpClients {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private GraphHttpClients() {
    }

    /**
     * @param proxy      the connection's proxy, or null for a direct connection
     * @param sslContext the connection's trust (its trusted certificates), or null for the JVM's default
     */
    public static HttpClient create(GraphProxy proxy, SSLContext sslContext) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                // Graph's nextLink and redirects are followed by hand, only to the same host, so a token never leaves it
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        if (proxy == null) {
            return builder.build();
        }
        if (proxy.protocol() == GraphProxy.Protocol.HTTPS) {
            // java.net.http cannot speak TLS to the proxy itself: httpclient5 carries these requests
            return new ProxiedOverTlsHttpClient(proxy, sslContext);
        }
        HttpClient client = builder.proxy(new FixedProxySelector(InetSocketAddress.createUnresolved(proxy.host(), proxy.port()))).build();
        if (!proxy.hasCredentials()) {
            return client;
        }
        String credentials = proxy.username() + ":" + (proxy.password() == null ? "" : proxy.password());
        return new ProxyAuthorizingHttpClient(client,
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every request through the one proxy. */
    private static final class FixedProxySelector extends ProxySelector {
        private final List<Proxy> proxies;

        FixedProxySelector(InetSocketAddress address) {
            this.proxies = List.of(new Proxy(Proxy.Type.HTTP, address));
        }

        @Override
        public List<Proxy> select(URI uri) {
            return proxies;
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // nothing to fall back to: the connection must go through its proxy
        }
    }

    /** Adds the proxy's credentials to every request; everything else is the wrapped client's. */
    static final class ProxyAuthorizingHttpClient extends HttpClient {
        private final HttpClient delegate;
        private final String proxyAuthorization;

        ProxyAuthorizingHttpClient(HttpClient delegate, String proxyAuthorization) {
            this.delegate = delegate;
            this.proxyAuthorization = proxyAuthorization;
        }

        private HttpRequest withCredentials(HttpRequest request) {
            return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Proxy-Authorization"))
                    .header("Proxy-Authorization", proxyAuthorization)
                    .build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            return delegate.send(withCredentials(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return delegate.sendAsync(withCredentials(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            return delegate.sendAsync(withCredentials(request), handler, pushPromiseHandler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return delegate.cookieHandler();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return delegate.connectTimeout();
        }

        @Override
        public Redirect followRedirects() {
            return delegate.followRedirects();
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return delegate.proxy();
        }

        @Override
        public SSLContext sslContext() {
            return delegate.sslContext();
        }

        @Override
        public SSLParameters sslParameters() {
            return delegate.sslParameters();
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return delegate.authenticator();
        }

        @Override
        public Version version() {
            return delegate.version();
        }

        @Override
        public Optional<Executor> executor() {
            return delegate.executor();
        }

        @Override
        public String toString() {
            return "ProxyAuthorizingHttpClient[" + delegate + ", Proxy-Authorization=***]";
        }
    }
}

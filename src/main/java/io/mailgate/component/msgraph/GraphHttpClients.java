package io.mailgate.component.msgraph;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * Builds one connection's HTTP client, used for both Entra ID and Graph: its own proxy, proxy
 * credentials and trust, so one connection's settings never leak into another's.
 *
 * <p>Proxy credentials over an HTTPS tunnel (CONNECT) use Basic authentication, which the JDK
 * refuses unless the system property {@code jdk.http.auth.tunneling.disabledSchemes} is set to ""
 * before the first HTTP client is created; the application must set it at start-up.
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
        if (proxy != null) {
            if (proxy.protocol() == GraphProxy.Protocol.HTTPS) {
                // java.net.http cannot speak TLS to the proxy itself; sending the proxy credentials in clear instead is not an option
                throw new IllegalArgumentException("proxy.protocol HTTPS (TLS to the proxy) is not supported yet; use HTTP");
            }
            builder.proxy(new FixedProxySelector(new InetSocketAddress(proxy.host(), proxy.port())));
            if (proxy.hasCredentials()) {
                builder.authenticator(new ProxyOnlyAuthenticator(proxy));
            }
        }
        return builder.build();
    }

    /** Every request through the one proxy; unlike ProxySelector.of it keeps the host unresolved until used. */
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

    /** Answers only the proxy's challenge: a server asking for credentials must never get the proxy's. */
    static final class ProxyOnlyAuthenticator extends Authenticator {
        private final GraphProxy proxy;

        ProxyOnlyAuthenticator(GraphProxy proxy) {
            this.proxy = proxy;
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() != RequestorType.PROXY) {
                return null;
            }
            char[] password = proxy.password() == null ? new char[0] : proxy.password().toCharArray();
            return new PasswordAuthentication(proxy.username(), password);
        }
    }
}

package io.mailgate.component.ews;

import io.mailgate.http.ProxyServer;

/**
 * The per-connection proxy, referenced from the URI as a bean ({@code proxy=#name}). The proxy's certificate
 * (for {@link Protocol#HTTPS}) is checked with the same SSLContext as the Exchange server's.
 *
 * @param username null when the proxy needs no authentication
 * @param password optional even when a user name is set; never printed
 */
public record EwsProxy(Protocol protocol, String host, int port, String username, String password) {

    public enum Protocol {
        HTTP,
        HTTPS
    }

    public EwsProxy {
        protocol = protocol == null ? Protocol.HTTP : protocol;
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy.host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy.port must be 1-65535");
        }
    }

    /** As the HTTP client factory takes it. */
    ProxyServer toProxyServer() {
        return new ProxyServer(protocol == Protocol.HTTPS, host, port, username, password);
    }

    boolean hasCredentials() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "EwsProxy[" + protocol + "://" + host + ":" + port
                + (hasCredentials()
                        ? ", username=" + username + ", password=" + (password == null ? "none" : "***")
                        : "")
                + "]";
    }
}

package io.mailgate.component.msgraph;

import io.mailgate.http.ProxyServer;
import java.util.Objects;

/**
 * A connection's proxy for the identity and the Graph calls.
 *
 * @param protocol how mailgate talks to the proxy itself
 * @param username optional; the password may be null even with a username
 */
public record GraphProxy(Protocol protocol, String host, int port, String username, String password) {

    public enum Protocol {
        HTTP,
        HTTPS
    }

    public GraphProxy {
        Objects.requireNonNull(protocol, "protocol");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy.host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy.port must be 1-65535");
        }
    }

    public GraphProxy(String host, int port) {
        this(Protocol.HTTP, host, port, null, null);
    }

    /** As the HTTP client factory takes it. */
    public ProxyServer toProxyServer() {
        return new ProxyServer(protocol == Protocol.HTTPS, host, port, username, password);
    }

    boolean hasCredentials() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "GraphProxy[" + protocol + " " + host + ":" + port
                + (hasCredentials()
                        ? ", username=" + username + ", password=" + (password == null ? "none" : "***")
                        : "")
                + "]";
    }
}

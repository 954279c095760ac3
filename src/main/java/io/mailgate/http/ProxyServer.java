package io.mailgate.http;

/**
 * A connection's proxy as the HTTP clients need it.
 *
 * @param tls      true when mailgate talks TLS to the proxy itself (an HTTPS proxy); its certificate is checked with
 *                 the connection's trust, like the server's
 * @param username null or blank when the proxy needs no authentication; {@code DOMAIN\\user} for NTLM
 * @param password may be null even with a user name; never printed
 */
public record ProxyServer(boolean tls, String host, int port, String username, String password) {

    public ProxyServer {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy.host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy.port must be 1-65535");
        }
    }

    public boolean hasCredentials() {
        return username != null && !username.isBlank();
    }

    /** host:port, for messages. */
    public String name() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "ProxyServer[" + (tls ? "https" : "http") + "://" + name()
                + (hasCredentials()
                        ? ", username=" + username + ", password=" + (password == null ? "none" : "***")
                        : "")
                + "]";
    }
}

package io.mailgate.connectiontest;

import java.util.Locale;

/**
 * An HTTP proxy reached in clear ({@code HTTP}) or over TLS ({@code HTTPS}), tunnelling with CONNECT and
 * authenticating with Basic when a username is given. The password never appears in {@link #toString()}.
 */
public record ProxyProbe(String protocol, String host, int port, String username, String password) {

    public ProxyProbe {
        protocol = protocol == null ? "HTTP" : protocol.trim().toUpperCase(Locale.ROOT);
        if (!protocol.equals("HTTP") && !protocol.equals("HTTPS")) {
            throw new IllegalArgumentException("proxy protocol must be HTTP or HTTPS");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("proxy host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxy port must be 1-65535");
        }
        host = host.trim();
    }

    public boolean tls() {
        return protocol.equals("HTTPS");
    }

    @Override
    public String toString() {
        return "ProxyProbe[protocol=" + protocol + ", host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + (password == null ? "null" : "****") + "]";
    }
}

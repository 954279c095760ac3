package io.mailgate.http;

import java.io.IOException;

/**
 * The proxy answered CONNECT with something other than 200, so there is no tunnel to Exchange, Entra ID or
 * the server: 407 when it refused (or wanted) the proxy credentials. Thrown by the client of an HTTPS
 * proxy ({@link ConnectionHttpClients}); the connection test reports it at the proxy stage.
 */
public final class ProxyTunnelRefusedException extends IOException {

    private final int status;

    public ProxyTunnelRefusedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The proxy's HTTP status for CONNECT. */
    public int status() {
        return status;
    }

    public boolean credentialsRefused() {
        return status == 407;
    }
}

package io.mailgate.http;

import javax.net.ssl.SSLHandshakeException;

/**
 * TLS with the proxy itself failed (proxy protocol HTTPS), typically because the connection does not
 * trust the proxy's certificate yet; the cause is the handshake's own exception. Still an
 * {@link javax.net.ssl.SSLException}, so whoever only knows TLS failures classifies it as one.
 */
public final class ProxyTlsException extends SSLHandshakeException {

    public ProxyTlsException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}

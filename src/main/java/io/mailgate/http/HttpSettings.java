package io.mailgate.http;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * What one connection's HTTP client is made of.
 *
 * @param sslContext      the connection's trust (the JVM's authorities plus the certificates the admin uploaded for
 *                        it); null for the JVM's default. It decides for the server and for an HTTPS proxy alike.
 * @param proxy           null for a direct connection
 * @param connectTimeout  to open a connection (and a tunnel)
 * @param responseTimeout the longest silence while waiting for or reading a response
 * @param maxConnections  pooled connections per route (server) and in total
 * @param userAgent       sent with every request
 */
public record HttpSettings(
        SSLContext sslContext,
        ProxyServer proxy,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnections,
        String userAgent) {

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(responseTimeout, "responseTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
    }

    /** 20 s to connect, 2 min for a response, 8 connections: what Entra ID and Graph calls need. */
    public static HttpSettings of(SSLContext sslContext, ProxyServer proxy) {
        return new HttpSettings(sslContext, proxy, Duration.ofSeconds(20), Duration.ofMinutes(2), 8, "mailgate");
    }

    public HttpSettings withTimeouts(Duration connect, Duration response) {
        return new HttpSettings(sslContext, proxy, connect, response, maxConnections, userAgent);
    }

    public HttpSettings withMaxConnections(int max) {
        return new HttpSettings(sslContext, proxy, connectTimeout, responseTimeout, max, userAgent);
    }

    public HttpSettings withUserAgent(String agent) {
        return new HttpSettings(sslContext, proxy, connectTimeout, responseTimeout, maxConnections, agent);
    }

    @Override
    public String toString() {
        return "HttpSettings[proxy=" + proxy + ", connectTimeout=" + connectTimeout + ", responseTimeout="
                + responseTimeout + ", maxConnections=" + maxConnections + "]";
    }
}

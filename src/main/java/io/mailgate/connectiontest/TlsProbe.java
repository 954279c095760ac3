package io.mailgate.connectiontest;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests TLS to an HTTPS endpoint, directly or through an HTTP(S) proxy (CONNECT, Basic proxy authentication),
 * with the same codes and certificate capture as the IMAP test. EXCHANGE and OAUTH connections use it for
 * their endpoint and, now, for their proxy: a proxy certificate problem is answered at stage
 * {@link TestStage#PROXY} with the proxy's chain, a server certificate problem at {@link TestStage#TLS}.
 * The host name is verified as HTTPS does, also for trusted certificates.
 */
final class TlsProbe {

    private static final Logger log = LoggerFactory.getLogger(TlsProbe.class);

    private final Duration timeout;

    public TlsProbe() {
        this(ImapConnectionTester.DEFAULT_TIMEOUT);
    }

    /** @param timeout bound on the whole probe; more than 15 seconds is cut to 15 */
    public TlsProbe(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout.compareTo(ImapConnectionTester.DEFAULT_TIMEOUT) > 0
                ? ImapConnectionTester.DEFAULT_TIMEOUT
                : timeout;
    }

    /**
     * @param proxyOrNull     the proxy to tunnel through, or null to connect directly
     * @param trusted         certificates trusted for the endpoint of this connection
     * @param trustedForProxy certificates trusted for the proxy of this connection (HTTPS proxies)
     */
    public TestResult probe(
            String host,
            int port,
            ProxyProbe proxyOrNull,
            Collection<X509Certificate> trusted,
            Collection<X509Certificate> trustedForProxy) {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("host and a port 1-65535 are required");
        }
        TlsAttempt attempt = new TlsAttempt(
                host.trim(),
                port,
                proxyOrNull,
                List.copyOf(trusted),
                trustedForProxy == null ? List.of() : List.copyOf(trustedForProxy),
                timeout);
        TestResult result = Deadline.run(
                host + ":" + port,
                attempt::run,
                attempt::abort,
                timeout,
                attempt::progress,
                () -> Failures.timeout(attempt.currentEndpoint(), attempt.progress(), timeout));
        result = proxyOrNull == null ? result : result.redacting(proxyOrNull.password());
        log.info(
                "TLS probe of {}:{}{} ended at {}: {}",
                host,
                port,
                proxyOrNull == null ? "" : " through " + proxyOrNull,
                result.stage(),
                result.ok() ? "OK" : result.code());
        return result;
    }
}

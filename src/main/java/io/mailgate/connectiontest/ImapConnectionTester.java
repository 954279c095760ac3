package io.mailgate.connectiontest;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tests an IMAP connection the way its route will use it: the same Jakarta Mail session
 * ({@link io.mailgate.imap.ImapSessions}), the same per-connection trust. It resolves the host, connects,
 * negotiates TLS (implicit or STARTTLS), logs in and opens the source folder read-only, then answers with the
 * stage reached and a {@link TestCodes code}. The whole test is bounded by the timeout, 15 seconds at most.
 * Nothing on the mailbox changes: the folder is examined, not selected, so no message loses its unread flag.
 */
public final class ImapConnectionTester {

    private static final Logger log = LoggerFactory.getLogger(ImapConnectionTester.class);

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final Duration timeout;

    public ImapConnectionTester() {
        this(DEFAULT_TIMEOUT);
    }

    /** @param timeout bound on the whole test; more than 15 seconds is cut to 15 */
    public ImapConnectionTester(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout.compareTo(DEFAULT_TIMEOUT) > 0 ? DEFAULT_TIMEOUT : timeout;
    }

    /**
     * @param trustedForConnection certificates an admin trusted for this connection only, besides the JVM's
     *                             authorities; may be empty
     */
    public TestResult test(ImapProbe probe, Collection<X509Certificate> trustedForConnection) {
        Objects.requireNonNull(probe, "probe");
        ImapAttempt attempt = new ImapAttempt(probe, List.copyOf(trustedForConnection), timeout);
        TestResult result = Deadline.run(
                probe.host() + ":" + probe.port(),
                attempt::run,
                attempt::abort,
                timeout,
                attempt::progress,
                () -> Failures.timeout(attempt.endpoint(), attempt.progress(), timeout));
        result = result.redacting(probe.password());
        log.info(
                "IMAP connection test of {} ended at {}: {}",
                probe,
                result.stage(),
                result.ok() ? "OK" : result.code());
        return result;
    }
}

package io.mailgate.connection;

import io.mailgate.component.ews.EwsClient;
import io.mailgate.component.ews.EwsConfiguration;
import io.mailgate.component.ews.EwsEndpointValidator;
import io.mailgate.component.ews.EwsException;
import io.mailgate.connectiontest.ImapConnectionTester;
import io.mailgate.connectiontest.ImapProbe;
import io.mailgate.connectiontest.TestResult;
import io.mailgate.connectiontest.TestStage;
import io.mailgate.tls.CapturingTrustManager;
import io.mailgate.tls.Certificates;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

/**
 * "Save and Test Connection": connects, negotiates TLS, authenticates and opens the source folder with the
 * very settings (and per-connection trust) the route uses, and says where and why it stopped. The chain of
 * the last failed test is kept so that an admin can trust a certificate by its fingerprint.
 */
@Service
public class ConnectionTestService {

    private static final Duration MAX = Duration.ofSeconds(15);

    private final ConnectionService connections;
    private final ImapConnectionTester imap;
    private final SourceBeans sources;
    private final GraphConnectionTests graph;
    private final Map<Long, TestResult> lastResults = new ConcurrentHashMap<>();

    ConnectionTestService(
            ConnectionService connections, RouteProperties settings, SourceBeans sources, GraphConnectionTests graph) {
        this.connections = connections;
        this.imap = new ImapConnectionTester(settings.timeout().compareTo(MAX) > 0 ? MAX : settings.timeout());
        this.sources = sources;
        this.graph = graph;
    }

    /** Tests a connection, saved or not; {@code savedId} (or null) is where the result is remembered. */
    public TestResult test(ConnectionEntity connection, List<X509Certificate> trusted, Long savedId) {
        TestResult result;
        try {
            result = switch (connection.getProtocol()) {
                case IMAP -> imap(connection, trusted);
                case EXCHANGE -> exchange(connection, trusted);
                case OAUTH -> graph.test(connection, trusted);
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Settings the validator let through but a component refuses: a clear answer, never a 500.
            result = TestResult.failure(TestStage.CONNECT, "CONFIGURATION", configurationProblem(connection, e));
        }
        if (result.ok()) {
            result = decryptionKey(connection, result);
        }
        if (savedId != null) {
            lastResults.put(savedId, result);
        }
        return result;
    }

    /** A certificate the server (or proxy) presented in the last test of this connection. */
    public Optional<X509Certificate> presentedInLastTest(long connectionId, String sha256) {
        TestResult last = lastResults.get(connectionId);
        try {
            return last == null ? Optional.empty() : last.presentedCertificate(sha256);
        } catch (IllegalArgumentException notAFingerprint) {
            return Optional.empty();
        }
    }

    private TestResult imap(ConnectionEntity c, List<X509Certificate> trusted) {
        var s = c.getSettings().imap();
        String password = connections.secret(c, SecretName.IMAP_PASSWORD).orElse("");
        return imap.test(
                new ImapProbe(s.host(), s.port(), s.encryption(), s.emailAddress(), password, s.sourceFolder()),
                trusted);
    }

    private TestResult exchange(ConnectionEntity c, List<X509Certificate> trusted) {
        CapturingTrustManager capture = CapturingTrustManager.forConnection(trusted);
        EwsConfiguration configuration = sources.ewsConfiguration(c, capture.sslContext());
        configuration.setConnectTimeout((int) MAX.toMillis());
        configuration.setSocketTimeout((int) MAX.toMillis());
        try {
            int unread = EwsClient.testConnection(configuration);
            return TestResult.success(configuration.getFolder(), unread);
        } catch (EwsException e) {
            TestResult failure = TestResult.failure(
                    TestStage.valueOf(e.stage().name()), e.code().name(), e.getMessage());
            if (capture.refused() && !capture.presentedChain().isEmpty()) {
                failure = failure.withServerCertificates(Certificates.describe(capture.presentedChain()));
            }
            return failure;
        }
    }

    /** A sentence for the admin; the component's message names the option it refused. */
    static String configurationProblem(ConnectionEntity c, RuntimeException e) {
        if (c.getProtocol() == Protocol.EXCHANGE && c.getSettings().exchange() != null) {
            String endpoint = c.getSettings().exchange().endpoint();
            String host = null;
            try {
                host = endpoint == null ? null : URI.create(endpoint.trim()).getHost();
            } catch (IllegalArgumentException notAUri) {
                // the component's own message below says what is wrong
            }
            if (EwsEndpointValidator.isMicrosoft365(host)) {
                return "The endpoint is Exchange Online (" + host + "), which no longer offers EWS; use protocol OAUTH"
                        + " (Microsoft Graph) for Microsoft 365 mailboxes.";
            }
        }
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? "they are incomplete"
                : e.getMessage().strip();
        return "The connection's settings cannot be used: " + message + (message.endsWith(".") ? "" : ".");
    }

    private static TestResult decryptionKey(ConnectionEntity c, TestResult passed) {
        var decryption = c.getSettings().decryption();
        if (decryption != null && decryption.enabled() && decryption.keys().isEmpty()) {
            return TestResult.failure(
                    TestStage.DECRYPTION_KEY,
                    "KEY_MISSING",
                    "The mailbox works, but decryption is enabled and no decryption key is installed.");
        }
        return passed;
    }
}

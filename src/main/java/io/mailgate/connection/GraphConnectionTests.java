package io.mailgate.connection;

import io.mailgate.component.msgraph.GraphConnectionTest;
import io.mailgate.component.msgraph.MsGraphMailClient;
import io.mailgate.connectiontest.TestCodes;
import io.mailgate.connectiontest.TestResult;
import io.mailgate.connectiontest.TestStage;
import io.mailgate.http.ProxyTlsException;
import io.mailgate.http.ProxyTunnelRefusedException;
import io.mailgate.tls.CapturingTrustManager;
import io.mailgate.tls.Certificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.springframework.stereotype.Component;

/** The connection test of an OAUTH (Microsoft Graph) connection, in the stages and codes of API.md. */
@Component
class GraphConnectionTests {

    private final GraphSources graph;
    private final ConnectionService connections;

    GraphConnectionTests(GraphSources graph, ConnectionService connections) {
        this.graph = graph;
        this.connections = connections;
    }

    TestResult test(ConnectionEntity c, List<X509Certificate> trusted) {
        var oauth = c.getSettings().oauth();
        if (oauth.apiType() == ConnectionSettings.OAuthApiType.EWS) {
            return TestResult.failure(
                    TestStage.CONNECT,
                    "EWS_RETIRED",
                    "Exchange Online no longer offers EWS; migrate "
                            + "this connection to Microsoft Graph (POST …/migrate-to-graph).");
        }
        if (!oauth.appOnly()
                && connections.secret(c, SecretName.OAUTH_REFRESH_TOKEN).isEmpty()) {
            return TestResult.failure(
                    TestStage.TOKEN,
                    "CONSENT_REQUIRED",
                    "No Microsoft 365 account has granted access yet: use Grant Access.");
        }
        String accountProblem = oauth.appOnly() ? null : GraphSources.accountProblem(c);
        if (accountProblem != null) {
            return TestResult.failure(TestStage.TOKEN, TestCodes.ACCOUNT_MISMATCH, accountProblem);
        }
        CapturingTrustManager capture = CapturingTrustManager.forConnection(trusted);
        GraphConnectionTest outcome;
        try (var http = graph.httpClient(c, capture.sslContext())) {
            var tokens = oauth.appOnly() ? graph.appOnlyTokenProvider(c, http) : graph.tokenProvider(c, http);
            outcome = new MsGraphMailClient(http, graph.baseUrl(c), GraphSources.mailbox(c), tokens)
                    .testConnection(oauth.sourceFolder());
        } catch (IllegalStateException | IllegalArgumentException e) {
            return TestResult.failure(TestStage.TOKEN, "CONFIGURATION", e.getMessage());
        } catch (IOException closing) {
            throw new UncheckedIOException(closing); // closing a client in memory does not fail
        }
        if (outcome.ok()) {
            return TestResult.success(
                    outcome.folder().displayName(), (int) outcome.folder().unreadItemCount());
        }
        String message = outcome.message();
        return switch (outcome.failure()) {
            case TOKEN ->
                TestResult.failure(
                        TestStage.TOKEN, outcome.errorCode() == null ? "TOKEN_FAILED" : outcome.errorCode(), message);
            case CONSENT_REQUIRED -> TestResult.failure(TestStage.TOKEN, "CONSENT_REQUIRED", message);
            case PERMISSION_MISSING -> TestResult.failure(TestStage.AUTH, "PERMISSION_MISSING", message);
            case MAILBOX_NOT_FOUND -> TestResult.failure(TestStage.FOLDER, "MAILBOX_NOT_FOUND", message);
            case FOLDER_NOT_FOUND -> TestResult.failure(TestStage.FOLDER, "FOLDER_NOT_FOUND", message);
            case THROTTLED -> TestResult.failure(TestStage.FOLDER, "THROTTLED", message);
            case GRAPH_ERROR -> TestResult.failure(TestStage.FOLDER, "SERVER_ERROR", message);
            case NETWORK -> network(outcome, capture, message);
        };
    }

    /**
     * With an HTTPS proxy the proxy's failures are answered at {@link TestStage#PROXY}, as the TLS probe
     * does: its refused CONNECT (407: its credentials), and TLS with it, with the certificate it
     * presented so the admin can trust it (the connection's trusted certificates serve both).
     */
    static TestResult network(GraphConnectionTest outcome, CapturingTrustManager capture, String message) {
        boolean proxyTls = false;
        for (Throwable t = outcome.cause(); t != null; t = t.getCause()) {
            if (t instanceof ProxyTunnelRefusedException refused) {
                return TestResult.failure(
                        TestStage.PROXY,
                        refused.credentialsRefused() ? TestCodes.PROXY_AUTH_FAILED : TestCodes.PROXY_CONNECT_FAILED,
                        message);
            }
            proxyTls |= t instanceof ProxyTlsException;
        }
        if (capture.refused() && !capture.presentedChain().isEmpty()) {
            return TestResult.failure(proxyTls ? TestStage.PROXY : TestStage.TLS, "UNTRUSTED_CERTIFICATE", message)
                    .withServerCertificates(Certificates.describe(capture.presentedChain()));
        }
        if (proxyTls) {
            return TestResult.failure(TestStage.PROXY, "TLS_FAILED", message);
        }
        for (Throwable t = outcome.cause(); t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return TestResult.failure(TestStage.DNS, "UNKNOWN_HOST", message);
            }
            if (t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
                return TestResult.failure(TestStage.CONNECT, "TIMEOUT", message);
            }
            if (t instanceof ConnectException) {
                return TestResult.failure(TestStage.CONNECT, "CONNECTION_REFUSED", message);
            }
            if (t instanceof SSLException) {
                return TestResult.failure(TestStage.TLS, "TLS_FAILED", message);
            }
        }
        return TestResult.failure(TestStage.CONNECT, "NETWORK", message);
    }
}

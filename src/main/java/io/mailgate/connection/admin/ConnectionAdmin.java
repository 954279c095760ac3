package io.mailgate.connection.admin;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionStatusView;
import io.mailgate.connection.ConnectionTestService;
import io.mailgate.connection.ConnectionView;
import io.mailgate.connection.TrustedCertificateView;
import io.mailgate.connectiontest.TestResult;
import io.mailgate.route.ConnectionStatusService;
import io.mailgate.tls.Certificates;
import java.security.cert.X509Certificate;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * What an admin does to a saved connection beyond create/change/delete, in one place for the API and the
 * admin pages: its state, a test, and trusting a certificate (the one the server presented in the last failed
 * test, or an uploaded one). The caller has checked the admin role in {@code org}.
 */
@Service
public class ConnectionAdmin {

    /** A row of the connections list: the connection and how its route is doing. */
    public record Overview(ConnectionView connection, ConnectionStatusView status) {}

    private final ConnectionService connections;
    private final ConnectionStatusService status;
    private final ConnectionTestService tests;

    ConnectionAdmin(ConnectionService connections, ConnectionStatusService status, ConnectionTestService tests) {
        this.connections = connections;
        this.status = status;
        this.tests = tests;
    }

    public List<Overview> overview(OrgRef org) {
        return connections.list(org).stream().map(this::overview).toList();
    }

    /** One connection's row, for a caller that already holds the connection (from {@link ConnectionService#list}). */
    public Overview overview(ConnectionEntity connection) {
        return new Overview(ConnectionView.of(connection), status.status(connection));
    }

    /** POST …/resume: a connection paused after refused passwords tries again at its next poll. */
    public ConnectionStatusView resume(OrgRef org, String apiName) {
        return status.resume(connections.get(org, apiName));
    }

    public ConnectionStatusView status(OrgRef org, String apiName) {
        return status.status(connections.get(org, apiName));
    }

    public TestResult test(OrgRef org, String apiName) {
        return test(connections.get(org, apiName));
    }

    TestResult test(ConnectionEntity connection) {
        return tests.test(connection, connections.trustedCertificates(connection.getId()), connection.getId());
    }

    /** Trusts a certificate the server presented in this connection's last test, named by its SHA-256. */
    public List<TrustedCertificateView> trustPresented(OrgRef org, String apiName, String sha256) {
        ConnectionEntity connection = connections.get(org, apiName);
        X509Certificate certificate = tests.presentedInLastTest(connection.getId(), sha256)
                .orElseThrow(() -> ApiProblem.validation(
                        "sha256",
                        "no certificate with this fingerprint was presented in the last test "
                                + "of this connection; test it again, or upload the certificate"));
        connections.trust(org, apiName, List.of(certificate));
        return trusted(org, apiName);
    }

    /** Trusts an uploaded PEM (one or more certificates) or DER certificate, for this connection only. */
    public List<TrustedCertificateView> trustUploaded(OrgRef org, String apiName, byte[] certificate) {
        connections.get(org, apiName);
        List<X509Certificate> parsed;
        try {
            parsed = Certificates.parse(certificate);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("certificate", e.getMessage())));
        }
        connections.trust(org, apiName, parsed);
        return trusted(org, apiName);
    }

    public List<TrustedCertificateView> trusted(OrgRef org, String apiName) {
        return connections.trustedCertificates(org, apiName).stream()
                .map(TrustedCertificateView::of)
                .toList();
    }
}

package io.mailgate.connection.admin;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRequest;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionStatusView;
import io.mailgate.connection.ConnectionTestService;
import io.mailgate.connection.ConnectionView;
import io.mailgate.connection.TrustedCertificateView;
import io.mailgate.connectiontest.TestResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inbound email connections of one organization (API.md). Admins only. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/connections")
class ConnectionController {

    private final OrgAccess access;
    private final ConnectionService connections;
    private final ConnectionTestService tests;
    private final ConnectionAdmin admin;

    /** The answer of "Save and Test": the saved connection and what the test found. */
    record SavedAndTested(ConnectionView connection, TestResult test) {}

    /** Trust a certificate the server presented in the last failed test, by its fingerprint. */
    record TrustByFingerprint(
            @NotBlank(message = ConnectionRequest.REQUIRED) String sha256) {}

    ConnectionController(
            OrgAccess access, ConnectionService connections, ConnectionTestService tests, ConnectionAdmin admin) {
        this.access = access;
        this.connections = connections;
        this.tests = tests;
        this.admin = admin;
    }

    @GetMapping
    List<ConnectionView> list(@PathVariable String org) {
        return connections.list(admin(org)).stream().map(ConnectionView::of).toList();
    }

    @PostMapping(params = "!test")
    ResponseEntity<ConnectionView> create(@PathVariable String org, @RequestBody ConnectionRequest request) {
        OrgRef ref = admin(org);
        ConnectionEntity created = connections.create(ref, request);
        return ResponseEntity.created(location(ref, created)).body(ConnectionView.of(created));
    }

    /** Save and Test Connection (POST …/connections?test=true): saved even when the test fails. */
    @PostMapping(params = "test")
    ResponseEntity<Object> createAndTest(
            @PathVariable String org, @RequestBody ConnectionRequest request, @RequestParam boolean test) {
        OrgRef ref = admin(org);
        ConnectionEntity created = connections.create(ref, request);
        Object body =
                test ? new SavedAndTested(ConnectionView.of(created), testSaved(created)) : ConnectionView.of(created);
        return ResponseEntity.created(location(ref, created)).body(body);
    }

    /** Tests settings without saving them; omitted secrets of an existing connection are taken as stored. */
    @PostMapping("/test")
    TestResult testUnsaved(@PathVariable String org, @RequestBody ConnectionRequest request) {
        OrgRef ref = admin(org);
        ConnectionEntity preview = connections.preview(ref, request);
        // A preview of a saved connection keeps its id: its trusted certificates apply, and its last test is kept.
        Long savedId = preview.savedId();
        return tests.test(preview, savedId == null ? List.of() : connections.trustedCertificates(savedId), savedId);
    }

    @PostMapping("/{apiName}/test")
    TestResult test(@PathVariable String org, @PathVariable String apiName) {
        return testSaved(connections.get(admin(org), apiName));
    }

    @PostMapping("/{apiName}/migrate-to-graph")
    ConnectionView migrateToGraph(@PathVariable String org, @PathVariable String apiName) {
        return ConnectionView.of(connections.migrateToGraph(admin(org), apiName));
    }

    @GetMapping("/{apiName}")
    ConnectionView get(@PathVariable String org, @PathVariable String apiName) {
        return ConnectionView.of(connections.get(admin(org), apiName));
    }

    @PutMapping("/{apiName}")
    Object replace(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestBody ConnectionRequest request,
            @RequestParam(defaultValue = "false") boolean test) {
        ConnectionEntity saved = connections.replace(admin(org), apiName, request);
        return test ? new SavedAndTested(ConnectionView.of(saved), testSaved(saved)) : ConnectionView.of(saved);
    }

    @DeleteMapping("/{apiName}")
    ResponseEntity<Void> delete(@PathVariable String org, @PathVariable String apiName) {
        connections.delete(admin(org), apiName);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{apiName}/status")
    ConnectionStatusView status(@PathVariable String org, @PathVariable String apiName) {
        return admin.status(admin(org), apiName);
    }

    /** Tries a connection paused after refused passwords (PAUSED_AUTH) again, at its next poll. */
    @PostMapping("/{apiName}/resume")
    ConnectionStatusView resume(@PathVariable String org, @PathVariable String apiName) {
        return admin.resume(admin(org), apiName);
    }

    @GetMapping("/{apiName}/trusted-certificates")
    List<TrustedCertificateView> trusted(@PathVariable String org, @PathVariable String apiName) {
        return admin.trusted(admin(org), apiName);
    }

    /** Body: a PEM (one or more certificates) or DER certificate, trusted for this connection only. */
    @PostMapping(
            value = "/{apiName}/trusted-certificates",
            consumes = {
                "application/x-pem-file",
                "application/pkix-cert",
                "application/x-x509-ca-cert",
                MediaType.APPLICATION_OCTET_STREAM_VALUE,
                MediaType.TEXT_PLAIN_VALUE
            })
    ResponseEntity<List<TrustedCertificateView>> trust(
            @PathVariable String org, @PathVariable String apiName, @RequestBody byte[] certificate) {
        return ResponseEntity.status(201).body(admin.trustUploaded(admin(org), apiName, certificate));
    }

    /** Body {"sha256": "AB:CD:…"}: a certificate of the last failed test of this connection. */
    @PostMapping(value = "/{apiName}/trusted-certificates", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<List<TrustedCertificateView>> trustPresented(
            @PathVariable String org, @PathVariable String apiName, @Valid @RequestBody TrustByFingerprint request) {
        return ResponseEntity.status(201).body(admin.trustPresented(admin(org), apiName, request.sha256()));
    }

    @DeleteMapping("/{apiName}/trusted-certificates/{sha256}")
    ResponseEntity<Void> distrust(@PathVariable String org, @PathVariable String apiName, @PathVariable String sha256) {
        connections.distrust(admin(org), apiName, sha256);
        return ResponseEntity.noContent().build();
    }

    private TestResult testSaved(ConnectionEntity connection) {
        return admin.test(connection);
    }

    private static URI location(OrgRef org, ConnectionEntity connection) {
        return URI.create("/api/v1/orgs/" + org.handle() + "/connections/" + connection.getApiName());
    }

    private OrgRef admin(String org) {
        return access.require(org, Role.ADMIN);
    }
}

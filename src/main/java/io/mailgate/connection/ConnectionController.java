package io.mailgate.connection;

import io.mailgate.system.ApiProblem;
import io.mailgate.system.OrgAccess;
import io.mailgate.system.OrgRef;
import io.mailgate.system.Role;
import io.mailgate.tls.Certificates;
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
import org.springframework.web.bind.annotation.RestController;

/** Inbound email connections of one organization (API.md). Admins only. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/connections")
class ConnectionController {

    private final OrgAccess access;
    private final ConnectionService connections;
    private final ConnectionStatusService status;

    ConnectionController(OrgAccess access, ConnectionService connections, ConnectionStatusService status) {
        this.access = access;
        this.connections = connections;
        this.status = status;
    }

    @GetMapping
    List<ConnectionView> list(@PathVariable String org) {
        return connections.list(admin(org)).stream().map(ConnectionView::of).toList();
    }

    @PostMapping
    ResponseEntity<ConnectionView> create(@PathVariable String org, @RequestBody ConnectionRequest request) {
        OrgRef ref = admin(org);
        ConnectionEntity created = connections.create(ref, request);
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + ref.handle() + "/connections/" + created.getApiName()))
                .body(ConnectionView.of(created));
    }

    @GetMapping("/{apiName}")
    ConnectionView get(@PathVariable String org, @PathVariable String apiName) {
        return ConnectionView.of(connections.get(admin(org), apiName));
    }

    @PutMapping("/{apiName}")
    ConnectionView replace(@PathVariable String org, @PathVariable String apiName,
                           @RequestBody ConnectionRequest request) {
        return ConnectionView.of(connections.replace(admin(org), apiName, request));
    }

    @DeleteMapping("/{apiName}")
    ResponseEntity<Void> delete(@PathVariable String org, @PathVariable String apiName) {
        connections.delete(admin(org), apiName);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{apiName}/status")
    ConnectionStatusView status(@PathVariable String org, @PathVariable String apiName) {
        return status.status(connections.get(admin(org), apiName));
    }

    @GetMapping("/{apiName}/trusted-certificates")
    List<TrustedCertificateView> trusted(@PathVariable String org, @PathVariable String apiName) {
        return connections.trustedCertificates(admin(org), apiName).stream().map(TrustedCertificateView::of).toList();
    }

    /** Body: a PEM (one or more certificates) or DER certificate, trusted for this connection only. */
    @PostMapping(value = "/{apiName}/trusted-certificates", consumes = {"application/x-pem-file",
            "application/pkix-cert", "application/x-x509-ca-cert", MediaType.APPLICATION_OCTET_STREAM_VALUE,
            MediaType.TEXT_PLAIN_VALUE})
    ResponseEntity<List<TrustedCertificateView>> trust(@PathVariable String org, @PathVariable String apiName,
                                                       @RequestBody byte[] certificate) {
        OrgRef ref = admin(org);
        connections.get(ref, apiName);
        List<java.security.cert.X509Certificate> parsed;
        try {
            parsed = Certificates.parse(certificate);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("certificate", e.getMessage())));
        }
        connections.trust(ref, apiName, parsed);
        List<TrustedCertificateView> all = connections.trustedCertificates(ref, apiName).stream()
                .map(TrustedCertificateView::of).toList();
        return ResponseEntity.status(201).body(all);
    }

    @DeleteMapping("/{apiName}/trusted-certificates/{sha256}")
    ResponseEntity<Void> distrust(@PathVariable String org, @PathVariable String apiName,
                                  @PathVariable String sha256) {
        connections.distrust(admin(org), apiName, sha256);
        return ResponseEntity.noContent().build();
    }

    private OrgRef admin(String org) {
        return access.require(org, Role.ADMIN);
    }
}

package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** The decryption certificates and trusted server certificates of a connection. */
@Component
class KnownCredentialExpiries implements CredentialExpirySource {

    private final ConnectionService connections;

    KnownCredentialExpiries(ConnectionService connections) {
        this.connections = connections;
    }

    @Override
    public List<Expiry> expiries(ConnectionEntity connection) {
        List<Expiry> found = new ArrayList<>();
        var decryption = connection.getSettings().decryption();
        if (decryption != null && decryption.enabled()) {
            decryption.keys().stream()
                    .filter(k -> k.notAfter() != null)
                    .forEach(k -> found.add(new Expiry("decryption_certificate", k.subject(), k.notAfter())));
        }
        for (X509Certificate certificate : connections.trustedCertificates(connection.getId())) {
            found.add(new Expiry(
                    "certificate",
                    certificate.getSubjectX500Principal().getName(),
                    certificate.getNotAfter().toInstant()));
        }
        return found;
    }
}

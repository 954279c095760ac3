package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionSettings;
import io.mailgate.connection.GraphSources;
import io.mailgate.connection.Protocol;
import io.mailgate.connection.SecretName;
import io.mailgate.oauth.ClientCredential;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Expiry of an OAUTH connection's own credentials for credential health: the certificate credential's
 * validity, and the client secret's expiry as the admin entered it. (A refresh token's lifetime is Entra's
 * inactivity window, not a date mailgate can know; a lost grant shows as NEEDS_CONSENT instead.)
 */
@Component
class OAuthCredentialExpiries implements CredentialExpirySource {

    private final ConnectionService connections;

    OAuthCredentialExpiries(ConnectionService connections) {
        this.connections = connections;
    }

    @Override
    public List<Expiry> expiries(ConnectionEntity connection) {
        var oauth = connection.getSettings().oauth();
        if (connection.getProtocol() != Protocol.OAUTH || oauth == null) {
            return List.of();
        }
        List<Expiry> found = new ArrayList<>();
        if (oauth.credentialType() == ConnectionSettings.OAuthCredentialType.CLIENT_SECRET
                && oauth.clientSecretExpiresAt() != null) {
            found.add(new Expiry("secret", "client secret of " + oauth.clientId(), oauth.clientSecretExpiresAt()));
        }
        if (oauth.credentialType() == ConnectionSettings.OAuthCredentialType.CERTIFICATE) {
            connections.secret(connection, SecretName.OAUTH_CERTIFICATE).ifPresent(material -> {
                try {
                    var credential = GraphSources.certificate(
                            material,
                            connections
                                    .secret(connection, SecretName.OAUTH_CERTIFICATE_PASSWORD)
                                    .orElse(null));
                    if (credential instanceof ClientCredential.ClientCertificate certificate) {
                        found.add(new Expiry(
                                "certificate",
                                certificate
                                        .certificate()
                                        .getSubjectX500Principal()
                                        .getName(),
                                certificate.certificate().getNotAfter().toInstant()));
                    }
                } catch (IllegalArgumentException unreadable) {
                    // Validated at upload; a credential that no longer opens shows as a failing connection.
                }
            });
        }
        return found;
    }
}

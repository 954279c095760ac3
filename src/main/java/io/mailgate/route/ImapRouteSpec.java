package io.mailgate.route;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.Protocol;
import io.mailgate.connection.RouteProperties;
import io.mailgate.connection.SecretName;
import io.mailgate.imap.CredentialAuthenticator;
import io.mailgate.imap.ImapSessions;
import io.mailgate.tls.TrustMaterial;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** An IMAP connection's route: template {@code mailgate-imap-source} (routes/imap-source.yaml). */
@Component
class ImapRouteSpec implements SourceRouteSpec {

    private final ConnectionService service;
    private final RouteProperties settings;

    ImapRouteSpec(ConnectionService service, RouteProperties settings) {
        this.service = service;
        this.settings = settings;
    }

    @Override
    public Protocol protocol() {
        return Protocol.IMAP;
    }

    @Override
    public Optional<RouteSpec> spec(ConnectionEntity connection) {
        var imap = connection.getSettings().imap();
        var polling = connection.getSettings().polling();
        return Optional.of(RouteSpec.of("mailgate-imap-source")
                .parameter("connectionId", connection.getId())
                .parameter("scheme", imap.encryption().protocol())
                .parameter("host", imap.host())
                .parameter("port", imap.port())
                .parameter("folder", imap.sourceFolder())
                .parameter("delay", polling.intervalSeconds() * 1000L)
                .parameter("idle", polling.push())
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier())
                .bean(
                        "session",
                        ImapSessions.create(
                                imap.encryption(),
                                TrustMaterial.sslContext(service.trustedCertificates(connection.getId())),
                                settings.timeout()))
                .bean(
                        "authenticator",
                        new CredentialAuthenticator(
                                imap.emailAddress(),
                                () -> service.secret(connection, SecretName.IMAP_PASSWORD)
                                        .orElse(""))));
    }
}

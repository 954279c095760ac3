package io.mailgate.route;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.Protocol;
import io.mailgate.connection.RouteProperties;
import io.mailgate.connection.SourceBeans;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.push.SourceModes;
import io.mailgate.tls.TrustMaterial;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** An on-premises Exchange connection's route: template {@code mailgate-ews-source} (routes/ews-source.yaml). */
@Component
class EwsRouteSpec implements SourceRouteSpec {

    private final ConnectionService service;
    private final RouteProperties settings;
    private final SourceBeans sources;
    private final IngestProperties ingest;
    private final SourceModes modes;

    EwsRouteSpec(
            ConnectionService service,
            RouteProperties settings,
            SourceBeans sources,
            IngestProperties ingest,
            SourceModes modes) {
        this.modes = modes;
        this.service = service;
        this.settings = settings;
        this.sources = sources;
        this.ingest = ingest;
    }

    @Override
    public Protocol protocol() {
        return Protocol.EXCHANGE;
    }

    @Override
    public Optional<RouteSpec> spec(ConnectionEntity connection) {
        var ews = connection.getSettings().exchange();
        return Optional.of(RouteSpec.of("mailgate-ews-source")
                .parameter("connectionId", connection.getId())
                .parameter("connectionKey", connection.routeId())
                .parameter("endpoint", ews.endpoint())
                .parameter("mailbox", ews.emailAddress())
                .parameter("folder", ews.sourceFolder())
                .parameter("delay", connection.getSettings().polling().intervalSeconds() * 1000L)
                .parameter("workDir", sources.workDir().toString())
                .parameter("maxMessageSize", ingest.maxMessageBytes())
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier())
                .bean("credentials", sources.ewsCredentials(connection))
                .bean("sslContext", TrustMaterial.sslContext(service.trustedCertificates(connection.getId())))
                .optionalBean("proxy", sources.ewsProxy(connection))
                // streaming notifications when polling.push is on; the status shows PUSH or POLL and why
                .parameter("streaming", connection.getSettings().polling().push())
                .optionalBean("pushModes", modes.listener(connection.routeId())));
    }
}

package io.mailgate.route;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionSettings;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.GraphSources;
import io.mailgate.connection.Protocol;
import io.mailgate.connection.RouteProperties;
import io.mailgate.connection.SecretName;
import io.mailgate.push.GraphNotifications;
import io.mailgate.push.JdbcGraphDeltaStore;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** A Microsoft 365 connection's route on Graph: template {@code mailgate-graph-source} (routes/graph-source.yaml). */
@Component
class GraphRouteSpec implements SourceRouteSpec {

    private final ConnectionService service;
    private final ConnectionStates states;
    private final RouteProperties settings;
    private final GraphSources graph;
    private final GraphNotifications notifications;
    private final JdbcTemplate jdbc;

    GraphRouteSpec(
            ConnectionService service,
            ConnectionStates states,
            RouteProperties settings,
            GraphSources graph,
            GraphNotifications notifications,
            JdbcTemplate jdbc) {
        this.service = service;
        this.states = states;
        this.settings = settings;
        this.graph = graph;
        this.notifications = notifications;
        this.jdbc = jdbc;
    }

    @Override
    public Protocol protocol() {
        return Protocol.OAUTH;
    }

    @Override
    public Optional<RouteSpec> spec(ConnectionEntity connection) {
        var oauth = connection.getSettings().oauth();
        if (oauth.apiType() == ConnectionSettings.OAuthApiType.EWS) {
            states.stopped(
                    connection.getId(),
                    "Exchange Online no longer offers EWS: migrate this connection to "
                            + "Microsoft Graph (POST …/migrate-to-graph); its credentials and account are kept.");
            return Optional.empty();
        }
        if (!oauth.appOnly() && !connection.hasSecret(SecretName.OAUTH_REFRESH_TOKEN)) {
            states.needsConsent(
                    connection.getId(), "No Microsoft 365 account has granted access yet: use Grant Access.");
            return Optional.empty();
        }
        var http = graph.httpClient(connection, service.trustedCertificates(connection.getId()));
        return Optional.of(RouteSpec.of("mailgate-graph-source")
                .parameter("connectionId", connection.getId())
                .parameter("connectionKey", connection.routeId())
                .parameter("baseUrl", graph.baseUrl(connection))
                .parameter("mailbox", GraphSources.mailbox(connection))
                .parameter("folder", oauth.sourceFolder())
                .parameter("delay", connection.getSettings().polling().intervalSeconds() * 1000L)
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier())
                .bean("httpClient", http)
                // the folder's delta link survives restarts; change notifications when polling.push is on
                .optionalBean("deltaStore", new JdbcGraphDeltaStore(jdbc, connection.getId()))
                .optionalBean(
                        "pushChannel",
                        notifications.channel(
                                connection.routeId(),
                                connection.getSettings().polling().push()))
                .bean(
                        "tokenProvider",
                        oauth.appOnly()
                                ? graph.appOnlyTokenProvider(connection, http)
                                : graph.tokenProvider(connection, http)));
    }
}

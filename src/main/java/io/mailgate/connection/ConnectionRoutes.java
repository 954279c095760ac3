package io.mailgate.connection;

import io.mailgate.imap.CredentialAuthenticator;
import io.mailgate.imap.ImapSessions;
import io.mailgate.tls.TrustMaterial;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps one Camel route per enabled connection, made from the protocol's route template. A change to a
 * connection replaces its route as soon as the change commits; no restart. Everything a route needs that is
 * secret or not a string (session, trust, authenticator) is a registry bean made for that generation of the
 * route, so an old endpoint can never be reused with new settings; the bean is in the registry only while the
 * route's endpoint is made.
 */
@Component
class ConnectionRoutes {

    private static final Logger log = LoggerFactory.getLogger(ConnectionRoutes.class);

    private final CamelContext camel;
    private final ConnectionRepository connections;
    private final ConnectionService service;
    private final ConnectionStates states;
    private final RouteSettings settings;
    private final SourceBeans sources;
    private final GraphSources graph;
    private final io.mailgate.ingest.IngestSettings ingest;
    private final io.mailgate.cluster.Cluster cluster;
    private final AtomicLong generations = new AtomicLong();
    /** Route id → the registry bean names bound for its current generation. */
    private final Map<String, List<String>> beansOfRoute = new ConcurrentHashMap<>();

    ConnectionRoutes(CamelContext camel, ConnectionRepository connections, ConnectionService service,
                     ConnectionStates states, RouteSettings settings, SourceBeans sources, GraphSources graph,
                     io.mailgate.ingest.IngestSettings ingest, io.mailgate.cluster.Cluster cluster) {
        this.camel = camel;
        this.connections = connections;
        this.service = service;
        this.states = states;
        this.settings = settings;
        this.sources = sources;
        this.graph = graph;
        this.ingest = ingest;
        this.cluster = cluster;
    }

    // In a cluster, ConnectionRouteSync makes the routes from the database instead of these events.
    @EventListener(ApplicationReadyEvent.class)
    void startAll() {
        if (!cluster.enabled()) {
            connections.findAll().forEach(this::apply);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void changed(ConnectionEvents.Changed event) {
        if (!cluster.enabled()) {
            connections.findById(event.connectionId()).ifPresent(this::apply);
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void removed(ConnectionEvents.Removed event) {
        if (cluster.enabled()) {
            return;
        }
        remove(event.routeId());
        if (connections.findById(event.connectionId()).isEmpty()) {
            states.forget(event.connectionId());
        }
    }

    synchronized void apply(ConnectionEntity connection) {
        String routeId = connection.routeId();
        remove(routeId);
        if (!connection.isEnabled()) {
            states.stopped(connection.getId(), "The connection is disabled.");
            return;
        }
        // with a coordinator, the route runs on one node at a time, elected per connection
        cluster.runOnOneNode(routeId, ConnectionRouteSync.namespaceOf(connection.getId()));
        try {
            switch (connection.getProtocol()) {
                case IMAP -> addImapRoute(connection);
                case EXCHANGE -> addEwsRoute(connection);
                case OAUTH -> addGraphRoute(connection);
            }
        } catch (Exception e) {
            // One bad connection must not stop the others, nor the request that changed it.
            log.error("Cannot start the route of connection {}", connection, e);
            FailureCodes.Failure failure = FailureCodes.classify(e);
            states.stopped(connection.getId(), "The route could not be started: " + failure.message());
        }
        leaveRegistry(routeId);
    }

    /**
     * Once the route exists its endpoint holds its beans (authenticator, credentials, token provider, session):
     * take them out of the registry, where Camel's bean component and languages could otherwise call their
     * public methods ({@code getPasswordAuthentication}, {@code password()}, ...). A route only stopped and
     * started again keeps its endpoint; a changed connection gets a new route with new beans.
     */
    private void leaveRegistry(String routeId) {
        List<String> beans = beansOfRoute.get(routeId);
        if (beans != null && camel.getRoute(routeId) != null && camel.getRoute(routeId).getEndpoint() != null) {
            beans.forEach(name -> camel.getRegistry().unbind(name));
        }
    }

    private void addImapRoute(ConnectionEntity connection) throws Exception {
        var imap = connection.getSettings().imap();
        String routeId = connection.routeId();
        String tag = routeId + "-g" + generations.incrementAndGet();
        String sessionBean = "mailgate-session-" + tag;
        String authenticatorBean = "mailgate-authenticator-" + tag;
        camel.getRegistry().bind(sessionBean, ImapSessions.create(imap.encryption(),
                TrustMaterial.sslContext(service.trustedCertificates(connection.getId())), settings.timeout()));
        camel.getRegistry().bind(authenticatorBean, new CredentialAuthenticator(imap.emailAddress(),
                () -> service.secret(connection, SecretName.IMAP_PASSWORD).orElse("")));
        beansOfRoute.put(routeId, List.of(sessionBean, authenticatorBean));
        states.bind(routeId, connection.getId());
        TemplatedRouteBuilder.builder(camel, "mailgate-imap-source")
                .routeId(routeId)
                .prefixId(routeId + "-")
                .parameter("connectionId", connection.getId())
                .parameter("scheme", imap.encryption().protocol())
                .parameter("host", imap.host())
                .parameter("port", imap.port())
                .parameter("folder", imap.sourceFolder())
                .parameter("delay", connection.getSettings().polling().intervalSeconds() * 1000L)
                .parameter("session", sessionBean)
                .parameter("authenticator", authenticatorBean)
                .parameter("idle", connection.getSettings().polling().push())
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier())
                .add();
        log.info("Started route {} for {}", routeId, connection);
    }

    private void addEwsRoute(ConnectionEntity connection) throws Exception {
        var ews = connection.getSettings().exchange();
        String routeId = connection.routeId();
        String tag = routeId + "-g" + generations.incrementAndGet();
        String credentialsBean = "mailgate-credentials-" + tag;
        String sslBean = "mailgate-ssl-" + tag;
        String proxyBean = "mailgate-proxy-" + tag;
        camel.getRegistry().bind(credentialsBean, sources.ewsCredentials(connection));
        camel.getRegistry().bind(sslBean, TrustMaterial.sslContext(service.trustedCertificates(connection.getId())));
        var proxy = sources.ewsProxy(connection);
        if (proxy != null) {
            camel.getRegistry().bind(proxyBean, proxy);
        }
        beansOfRoute.put(routeId, List.of(credentialsBean, sslBean, proxyBean));
        states.bind(routeId, connection.getId());
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, "mailgate-ews-source")
                .routeId(routeId)
                .prefixId(routeId + "-")
                .parameter("connectionId", connection.getId())
                .parameter("connectionKey", routeId)
                .parameter("endpoint", ews.endpoint())
                .parameter("mailbox", ews.emailAddress())
                .parameter("folder", ews.sourceFolder())
                .parameter("delay", connection.getSettings().polling().intervalSeconds() * 1000L)
                .parameter("credentials", credentialsBean)
                .parameter("sslContext", sslBean)
                .parameter("workDir", sources.workDir().toString())
                .parameter("maxMessageSize", ingest.maxMessageBytes())
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier());
        if (proxy != null) {
            builder.parameter("proxy", "#" + proxyBean);
        }
        builder.add();
        log.info("Started route {} for {}", routeId, connection);
    }

    private void addGraphRoute(ConnectionEntity connection) throws Exception {
        var oauth = connection.getSettings().oauth();
        if (oauth.apiType() == ConnectionSettings.OAuthApiType.EWS) {
            states.stopped(connection.getId(), "Exchange Online no longer offers EWS: migrate this connection to "
                    + "Microsoft Graph (POST …/migrate-to-graph); its credentials and account are kept.");
            return;
        }
        if (!oauth.appOnly() && !connection.hasSecret(SecretName.OAUTH_REFRESH_TOKEN)) {
            states.needsConsent(connection.getId(), "No Microsoft 365 account has granted access yet: use Grant Access.");
            return;
        }
        String routeId = connection.routeId();
        String tag = routeId + "-g" + generations.incrementAndGet();
        String httpBean = "mailgate-http-" + tag;
        String tokenBean = "mailgate-token-" + tag;
        var http = graph.httpClient(connection, service.trustedCertificates(connection.getId()));
        camel.getRegistry().bind(httpBean, http);
        camel.getRegistry().bind(tokenBean, oauth.appOnly() ? graph.appOnlyTokenProvider(connection, http)
                : graph.tokenProvider(connection, http));
        beansOfRoute.put(routeId, List.of(httpBean, tokenBean));
        states.bind(routeId, connection.getId());
        TemplatedRouteBuilder.builder(camel, "mailgate-graph-source")
                .routeId(routeId)
                .prefixId(routeId + "-")
                .parameter("connectionId", connection.getId())
                .parameter("connectionKey", routeId)
                .parameter("baseUrl", graph.baseUrl(connection))
                .parameter("mailbox", GraphSources.mailbox(connection))
                .parameter("folder", oauth.sourceFolder())
                .parameter("delay", connection.getSettings().polling().intervalSeconds() * 1000L)
                .parameter("tokenProvider", tokenBean)
                .parameter("httpClient", httpBean)
                .parameter("maxMessagesPerPoll", settings.maxMessagesPerPoll())
                .parameter("backoffErrorThreshold", settings.backoffErrorThreshold())
                .parameter("backoffMultiplier", settings.backoffMultiplier())
                .add();
        log.info("Started route {} for {}", routeId, connection);
    }

    synchronized void remove(String routeId) {
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId, 30, TimeUnit.SECONDS);
                camel.removeRoute(routeId);
                log.info("Removed route {}", routeId);
            }
        } catch (Exception e) {
            log.error("Cannot remove route {}", routeId, e);
        }
        List<String> beans = beansOfRoute.remove(routeId);
        if (beans != null) {
            for (Endpoint endpoint : List.copyOf(camel.getEndpoints())) {
                if (beans.stream().anyMatch(endpoint.getEndpointUri()::contains)) {
                    try {
                        camel.removeEndpoint(endpoint);
                    } catch (Exception e) {
                        log.debug("Cannot remove endpoint of route {}", routeId, e);
                    }
                }
            }
            beans.forEach(name -> camel.getRegistry().unbind(name));
        }
        states.unbind(routeId);
        cluster.forget(routeId);
    }

    /** Whether the route exists and is started, for the status endpoint. */
    String routeStatus(String routeId) {
        var status = camel.getRouteController().getRouteStatus(routeId);
        return status == null ? null : status.name();
    }
}

package io.mailgate.route;

import io.mailgate.cluster.Cluster;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionEvents;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.FailureCodes;
import io.mailgate.connection.Protocol;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps one Camel route per enabled connection, made from its protocol's {@link SourceRouteSpec}: a route template
 * with parameters and beans local to the route. A change to a connection replaces its route as soon as the change
 * commits; no restart. Everything a route needs that is secret or not a string (session, trust, authenticator,
 * token provider) is a template-local bean of that one route: Camel names it uniquely and sees it only while the
 * route's endpoint is made, so it is never in the registry and an old endpoint is never reused with new settings.
 */
@Component
class ConnectionRoutes {

    private static final Logger log = LoggerFactory.getLogger(ConnectionRoutes.class);

    private final CamelContext camel;
    private final ConnectionRepository connections;
    private final ConnectionStates states;
    private final Map<Protocol, SourceRouteSpec> specs = new EnumMap<>(Protocol.class);
    private final Cluster cluster;

    ConnectionRoutes(
            CamelContext camel,
            ConnectionRepository connections,
            ConnectionStates states,
            List<SourceRouteSpec> specs,
            Cluster cluster) {
        this.camel = camel;
        this.connections = connections;
        this.states = states;
        specs.forEach(spec -> this.specs.put(spec.protocol(), spec));
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
            Optional<RouteSpec> spec = specs.get(connection.getProtocol()).spec(connection);
            if (spec.isPresent()) {
                add(connection, spec.get());
            }
        } catch (Exception e) {
            // One bad connection must not stop the others, nor the request that changed it.
            log.error("Cannot start the route of connection {}", connection, e);
            FailureCodes.Failure failure = FailureCodes.classify(e);
            states.stopped(connection.getId(), "The route could not be started: " + failure.message());
        }
    }

    private void add(ConnectionEntity connection, RouteSpec spec) throws Exception {
        String routeId = connection.routeId();
        states.bind(routeId, connection.getId());
        spec.addTo(camel, routeId);
        log.info("Started route {} for {}", routeId, connection);
    }

    synchronized void remove(String routeId) {
        try {
            var route = camel.getRoute(routeId);
            if (route != null) {
                // its endpoint holds this generation's beans: it goes with the route (no other route uses it)
                Endpoint endpoint = route.getEndpoint();
                camel.getRouteController().stopRoute(routeId, 30, TimeUnit.SECONDS);
                camel.removeRoute(routeId);
                if (endpoint != null) {
                    camel.removeEndpoint(endpoint);
                }
                log.info("Removed route {}", routeId);
            }
        } catch (Exception e) {
            log.error("Cannot remove route {}", routeId, e);
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

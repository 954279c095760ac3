package io.mailgate.ops;

import io.mailgate.cluster.Cluster;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.admin.ConnectionAdmin;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.stereotype.Component;

/**
 * A connection's state as its status endpoint reports it (RUNNING, DEGRADED, STOPPED, FAILING, PAUSED_AUTH), read from the same facts:
 * the connection, its poll state, and its Camel route (so a route stopped or suspended in Hawtio is STOPPED).
 */
@Component
class ConnectionHealthView {

    record State(
            boolean enabled,
            String state,
            String reason,
            Instant lastPollAt,
            Instant lastSuccessAt,
            String lastErrorCode,
            String routeStatus) {

        /** Failing, or meant to run and not running: mailgate is degraded. */
        boolean degraded() {
            return "FAILING".equals(state)
                    || "DEGRADED".equals(state)
                    || "PAUSED_AUTH".equals(state)
                    || (enabled && "STOPPED".equals(state));
        }
    }

    private final ConnectionStates states;
    private final CamelContext camel;
    private final Cluster cluster;
    private final ConnectionAdmin admin;

    ConnectionHealthView(ConnectionStates states, CamelContext camel, Cluster cluster, ConnectionAdmin admin) {
        this.states = states;
        this.camel = camel;
        this.cluster = cluster;
        this.admin = admin;
    }

    State of(ConnectionEntity connection) {
        ConnectionStates.Snapshot s = states.snapshot(connection.getId());
        ServiceStatus route = camel.getRouteController().getRouteStatus(connection.routeId());
        if (cluster.enabled() && connection.isEnabled() && route != ServiceStatus.Started) {
            // in a cluster the route may run on another node: that node's shared status tells
            var status = admin.overview(connection).status();
            if (status.node() != null && !status.node().equals(cluster.nodeId())) {
                return new State(
                        true,
                        status.state().name(),
                        status.reason(),
                        status.lastPollAt(),
                        status.lastSuccessAt(),
                        status.lastErrorCode(),
                        "Started on " + status.node());
            }
        }
        String routeStatus = route == null ? null : route.name();
        boolean failing = s.failing() || s.degraded();
        String state;
        String reason = null;
        if (!connection.isEnabled()) {
            state = "STOPPED";
            reason = "The connection is disabled.";
        } else if (s.stoppedReason() != null) {
            state = "STOPPED";
            reason = s.stoppedReason();
        } else if (route != ServiceStatus.Started) {
            state = "STOPPED";
            reason = route == null ? "The connection has no route." : "The route is " + routeStatus + ".";
        } else if (s.authPaused()) {
            state = "PAUSED_AUTH";
            reason = s.lastError();
        } else if (failing) {
            state = s.degraded() ? "DEGRADED" : "FAILING";
            reason = s.lastError();
        } else {
            state = "RUNNING";
        }
        return new State(
                connection.isEnabled(),
                state,
                reason,
                s.lastPollAt(),
                s.lastSuccessAt(),
                failing ? s.lastErrorCode() : null,
                routeStatus);
    }
}

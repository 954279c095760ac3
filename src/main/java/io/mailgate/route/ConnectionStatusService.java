package io.mailgate.route;

import io.mailgate.cluster.Cluster;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionState;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.ConnectionStatusView;
import io.mailgate.imap.PushModes;
import io.mailgate.incident.IngestCounts;
import io.mailgate.push.SourceModes;
import io.mailgate.quarantine.QuarantineService;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Puts together what a connection's route is doing with what it has stored. */
@Service
public class ConnectionStatusService {

    private final ConnectionStates states;
    private final ConnectionRoutes routes;
    private final IngestCounts counts;
    private final QuarantineService quarantine;
    private final PushModes modes;
    private final SourceModes sourceModes;
    private final Cluster cluster;
    private final ConnectionRuntimeShare shared;

    ConnectionStatusService(
            ConnectionStates states,
            ConnectionRoutes routes,
            IngestCounts counts,
            QuarantineService quarantine,
            PushModes modes,
            SourceModes sourceModes,
            Cluster cluster,
            ConnectionRuntimeShare shared) {
        this.sourceModes = sourceModes;
        this.states = states;
        this.routes = routes;
        this.counts = counts;
        this.quarantine = quarantine;
        this.modes = modes;
        this.cluster = cluster;
        this.shared = shared;
    }

    /** An admin resumes a connection paused after refused passwords (or waiting to try again): poll now. */
    public ConnectionStatusView resume(ConnectionEntity connection) {
        states.resume(connection.getId());
        return status(connection);
    }

    public ConnectionStatusView status(ConnectionEntity connection) {
        String node = connection.isEnabled()
                ? cluster.nodeRunning(connection.routeId()).orElse(null)
                : null;
        if (node != null && !node.equals(cluster.nodeId())) {
            // another node runs it: what that node last shared, with the counts every node reads alike
            var elsewhere = shared.of(connection.getId(), node)
                    .orElse(new ConnectionRuntimeShare.Shared(
                            node,
                            ConnectionState.RUNNING,
                            "Started on node " + node + "; it has not reported a poll yet.",
                            null,
                            null,
                            null,
                            null));
            return new ConnectionStatusView(
                    elsewhere.state(),
                    elsewhere.reason(),
                    elsewhere.lastPollAt(),
                    elsewhere.lastSuccessAt(),
                    elsewhere.lastError(),
                    elsewhere.lastErrorCode(),
                    counts.messagesOf(connection.getId()),
                    quarantine.countQuarantined(connection.getId()),
                    connection.routeId(),
                    "Started",
                    null,
                    null,
                    node);
        }
        return local(connection, node);
    }

    /** The status from this node's own facts: its route and what the route did here. */
    ConnectionStatusView local(ConnectionEntity connection, String node) {
        ConnectionStates.Snapshot s = states.snapshot(connection.getId());
        String routeStatus = routes.routeStatus(connection.routeId());
        ConnectionState state;
        String reason = null;
        if (!connection.isEnabled()) {
            state = ConnectionState.STOPPED;
            reason = "The connection is disabled.";
        } else if (s.needsConsent()) {
            state = ConnectionState.NEEDS_CONSENT;
            reason = s.lastError();
        } else if (s.stoppedReason() != null) {
            state = ConnectionState.STOPPED;
            reason = s.stoppedReason();
        } else if (routeStatus == null || !"Started".equals(routeStatus)) {
            state = ConnectionState.STOPPED;
            reason = routeStatus == null ? "The connection has no route." : "The route is " + routeStatus + ".";
        } else if (s.authPaused()) {
            state = ConnectionState.PAUSED_AUTH;
            reason = s.lastError();
        } else if (s.failing()) {
            state = ConnectionState.FAILING;
            reason = s.lastError();
        } else if (s.degraded()) {
            state = ConnectionState.DEGRADED;
            reason = s.lastError();
        } else {
            state = ConnectionState.RUNNING;
        }
        // An IMAP source reports whether IDLE pushes to it, a Graph source whether change notifications do.
        var mode = modes.of(connection.routeId())
                .or(() -> sourceModes.of(connection.routeId()).map(m -> new PushModes.Mode(m.mode(), m.reason())))
                .or(() -> "Started".equals(routeStatus)
                        ? Optional.of(new PushModes.Mode("POLL", null))
                        : Optional.empty());
        return new ConnectionStatusView(
                state,
                reason,
                s.lastPollAt(),
                s.lastSuccessAt(),
                s.failing() || s.degraded() ? s.lastError() : null,
                s.failing() || s.degraded() ? s.lastErrorCode() : null,
                counts.messagesOf(connection.getId()),
                quarantine.countQuarantined(connection.getId()),
                connection.routeId(),
                routeStatus,
                mode.map(PushModes.Mode::mode).orElse(null),
                mode.map(PushModes.Mode::reason).orElse(null),
                node);
    }
}

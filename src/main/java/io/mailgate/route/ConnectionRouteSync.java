package io.mailgate.route;

import io.mailgate.cluster.Cluster;
import io.mailgate.cluster.ClusterProperties;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionEvents;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.ConnectionStatusView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * In a cluster, a connection may be changed through any node, so the routes follow the database instead of this
 * node's events: every {@code mailgate.cluster.reconcile-interval} (and at once after a change made here) the route
 * generations are compared with those this node's routes were made from, and only what differs is added, replaced or
 * removed. Every node keeps a route for every enabled connection; its cluster policy decides which node starts it.
 * On a single node this stays idle and {@link ConnectionRoutes} follows the events as it always has.
 */
@Component
class ConnectionRouteSync implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConnectionRouteSync.class);
    /** How long a route removed for being out of step with its election stays away from it. */
    static final Duration REJOIN_DELAY = Duration.ofSeconds(6);

    private final Cluster cluster;
    private final ClusterProperties properties;
    private final ConnectionRoutes routes;
    private final ConnectionRepository connections;
    private final ConnectionStates states;
    private final ConnectionRouteGenerations generations;
    private final ConnectionStatusService status;
    private final ConnectionRuntimeShare shared;
    /** Connection id → the generation its route here was made from, and that route's id. */
    private final Map<Long, Long> applied = new HashMap<>();

    private final Map<Long, String> routeOf = new HashMap<>();
    /** Connections preferred by another node: this node joins their election only after this instant. */
    private final Map<Long, Instant> deferredUntil = new HashMap<>();

    /** Connection id → rounds in a row its route here disagreed with its election. */
    private final Map<Long, Integer> outOfStep = new HashMap<>();
    /** Connections whose route was removed for being out of step: made again here only after this instant. */
    private final Map<Long, Instant> rejoinAfter = new HashMap<>();

    private List<String> members = List.of();
    /** Connection namespace → the node preferred for it now, recomputed every round. */
    private Map<String, String> preferred = Map.of();

    private Instant membersSince = Instant.now();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "mailgate-route-sync");
        thread.setDaemon(true);
        return thread;
    });

    ConnectionRouteSync(
            Cluster cluster,
            ClusterProperties properties,
            ConnectionRoutes routes,
            ConnectionRepository connections,
            ConnectionStates states,
            ConnectionRouteGenerations generations,
            ConnectionStatusService status,
            ConnectionRuntimeShare shared) {
        this.cluster = cluster;
        this.properties = properties;
        this.routes = routes;
        this.connections = connections;
        this.states = states;
        this.generations = generations;
        this.status = status;
        this.shared = shared;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (cluster.enabled()) {
            long interval = Math.max(properties.reconcileInterval().toMillis(), 100);
            executor.scheduleWithFixedDelay(this::reconcileQuietly, 0, interval, TimeUnit.MILLISECONDS);
        }
    }

    /** A change made through this node: apply it now rather than at the next interval. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void changed(ConnectionEvents.Changed event) {
        soon();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void removed(ConnectionEvents.Removed event) {
        soon();
    }

    private void soon() {
        if (cluster.enabled() && !executor.isShutdown()) {
            executor.execute(this::reconcileQuietly);
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            // the database may be away for a moment: the next interval tries again
            log.warn("Cannot read connection changes from the database: {}", e.toString());
        }
    }

    /** The election of a connection's route: one namespace per connection, so connections spread over nodes. */
    static String namespaceOf(long connectionId) {
        return "mailgate-connection-" + connectionId;
    }

    /** Runs on this class's one thread only. */
    void reconcile() {
        Instant now = Instant.now();
        List<String> live = cluster.members();
        if (!live.equals(members)) {
            members = live;
            membersSince = now;
        }
        preferred = cluster.placement(generations.enabled().stream()
                .map(ConnectionRouteSync::namespaceOf)
                .toList());
        for (Map.Entry<Long, Long> entry : generations.all().entrySet()) {
            long id = entry.getKey();
            if (entry.getValue().equals(applied.get(id))) {
                continue;
            }
            Optional<ConnectionEntity> connection = connections.findById(id);
            String before = routeOf.get(id);
            if (connection.isPresent() && connection.get().isEnabled() && deferred(id, now)) {
                // another live node goes first: let it join the election, and give up a route held here
                leave(id);
                continue;
            }
            if (connection.isPresent()) {
                String routeId = connection.get().routeId();
                if (before != null && !before.equals(routeId)) {
                    routes.remove(before);
                }
                routes.apply(connection.get());
                routeOf.put(id, routeId);
            } else {
                if (before != null) {
                    routes.remove(before);
                    log.info("Removed the route of deleted connection {}", before);
                }
                states.forget(id);
                routeOf.remove(id);
            }
            applied.put(id, entry.getValue());
        }
        realign(now);
        rebalance(now);
        share();
    }

    /**
     * A route out of step with its election for two rounds in a row (see {@link Cluster#outOfStepWithElection}) is
     * removed here and made again only after {@link #REJOIN_DELAY}: longer than ZooKeeper's view takes to notice that
     * its view is stopped and give up a leadership it still holds (it looks every 5 s), so that meanwhile another node
     * is elected and starts the route, and this node then joins the election afresh.
     */
    private void realign(Instant now) {
        for (Map.Entry<Long, String> entry : List.copyOf(routeOf.entrySet())) {
            long id = entry.getKey();
            if (!cluster.outOfStepWithElection(entry.getValue())) {
                outOfStep.remove(id);
                continue;
            }
            if (outOfStep.merge(id, 1, Integer::sum) < 2) {
                continue;
            }
            log.warn(
                    "Route {} is out of step with its election (route {} here; Camel's cluster policy missed a"
                            + " leadership change): it is removed here and joins the election again in {} s",
                    entry.getValue(),
                    routes.routeStatus(entry.getValue()),
                    REJOIN_DELAY.toSeconds());
            leave(id);
            outOfStep.remove(id);
            rejoinAfter.put(id, now.plus(REJOIN_DELAY));
        }
    }

    /** Whether this node is preferred for the connection (one not placed, e.g. just enabled, counts as preferred). */
    private boolean preferredHere(long id) {
        return preferred.getOrDefault(namespaceOf(id), cluster.nodeId()).equals(cluster.nodeId());
    }

    /**
     * Whether this node waits before it makes the connection's route: for a while after its route was removed for
     * being out of step (whether preferred or not), or briefly while another live node is preferred for it.
     */
    private boolean deferred(long id, Instant now) {
        Instant away = rejoinAfter.get(id);
        if (away != null) {
            if (now.isBefore(away)) {
                return true;
            }
            rejoinAfter.remove(id);
        }
        if (preferredHere(id)) {
            deferredUntil.remove(id);
            return false;
        }
        Instant until =
                deferredUntil.computeIfAbsent(id, k -> now.plus(interval().multipliedBy(3)));
        if (now.isBefore(until)) {
            return true;
        }
        deferredUntil.remove(id);
        return false;
    }

    /**
     * Once the members have been the same for a while (so every node has joined its preferred elections), hand over
     * one connection per round that runs here but is preferred by another node: a node that joins takes its share.
     * Its route stops gracefully here (a message in flight is committed or fetched again), the preferred node, already
     * waiting in the election, starts it, and this node joins again behind it.
     */
    private void rebalance(Instant now) {
        Duration quiet = interval().multipliedBy(5).compareTo(Duration.ofSeconds(10)) > 0
                ? interval().multipliedBy(5)
                : Duration.ofSeconds(10);
        if (members.size() <= 1 || now.isBefore(membersSince.plus(quiet))) {
            return;
        }
        for (Map.Entry<Long, String> entry : List.copyOf(routeOf.entrySet())) {
            long id = entry.getKey();
            if ("Started".equals(routes.routeStatus(entry.getValue())) && !preferredHere(id)) {
                log.info("Handing {} over to the node preferred for it among {}", entry.getValue(), members);
                leave(id);
                deferredUntil.put(id, now.plus(interval().multipliedBy(3)));
                return;
            }
        }
    }

    /** Gives up the connection's route here (stopped gracefully); a later round decides again whether to make it. */
    private void leave(long id) {
        String routeId = routeOf.remove(id);
        if (routeId != null) {
            routes.remove(routeId);
        }
        applied.remove(id);
    }

    private Duration interval() {
        return properties.reconcileInterval().toMillis() < 100
                ? Duration.ofMillis(100)
                : properties.reconcileInterval();
    }

    /** What the routes running here are doing, for the other nodes' status and health. */
    private void share() {
        List<Long> running = routeOf.entrySet().stream()
                .filter(e -> "Started".equals(routes.routeStatus(e.getValue())))
                .map(Map.Entry::getKey)
                .toList();
        if (running.isEmpty()) {
            return;
        }
        for (ConnectionEntity connection : connections.findAllById(running)) {
            ConnectionStatusView view = status.local(connection, cluster.nodeId());
            shared.publish(
                    connection.getId(),
                    new ConnectionRuntimeShare.Shared(
                            cluster.nodeId(),
                            view.state(),
                            view.reason(),
                            view.lastPollAt(),
                            view.lastSuccessAt(),
                            view.lastError(),
                            view.lastErrorCode()));
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}

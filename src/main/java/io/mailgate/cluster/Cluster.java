package io.mailgate.cluster;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which node runs what. With a coordinator, a route marked with {@link #runOnOneNode} gets Camel's
 * {@link ClusteredRoutePolicy} for its own namespace: every node has the route, only the namespace's leader starts
 * it, and when the leader leaves (or its coordinator session expires) another node's policy starts it. Without a
 * coordinator this node runs everything, as a single mailgate always has.
 */
public class Cluster {

    /** The namespace every node joins, so that its members are the live nodes. */
    static final String NODES_NAMESPACE = "mailgate-nodes";

    private static final Logger log = LoggerFactory.getLogger(Cluster.class);

    /** A route that runs on one node at a time, and the node running it now (null while none does). */
    public record Placement(String routeId, String namespace, String node) {}

    private final ClusterProperties properties;
    private final CamelClusterService service;
    private final String coordinator;
    /** The ZooKeeper client this node's cluster service uses (started and closed here), or null. */
    private final CuratorFramework curator;

    private final Instant since = Instant.now();
    /** Route id → its namespace, for the routes that run on one node at a time. */
    private final Map<String, String> namespaceOfRoute = new ConcurrentHashMap<>();
    /** Those of them started at least once since they were added here. */
    private final Set<String> startedOnce = ConcurrentHashMap.newKeySet();

    private volatile CamelContext camel;
    private volatile CamelClusterView nodesView;

    Cluster(ClusterProperties properties, CamelClusterService service, String coordinator, CuratorFramework curator) {
        this.properties = properties;
        this.service = service;
        this.coordinator = coordinator;
        this.curator = curator;
    }

    /** Whether a coordinator decides where routes run; false for a single node. */
    public boolean enabled() {
        return service != null;
    }

    public String nodeId() {
        return properties.nodeId();
    }

    public Instant since() {
        return since;
    }

    /** How this node coordinates: {@code zookeeper <connect string>}, {@code kubernetes <namespace>}, or null. */
    public String coordinator() {
        return coordinator;
    }

    /**
     * Marks a route, before it is added, to run on one node at a time, elected in {@code namespace}. Without a
     * coordinator this does nothing: the route starts here as usual.
     */
    public void runOnOneNode(String routeId, String namespace) {
        if (enabled()) {
            namespaceOfRoute.put(routeId, namespace);
            startedOnce.remove(routeId); // a new route of that id: not started yet
        }
    }

    /** The route was removed: it no longer needs a namespace. */
    public void forget(String routeId) {
        namespaceOfRoute.remove(routeId);
        startedOnce.remove(routeId);
    }

    /** The node running a route now: its namespace's leader, or this node when the route is started here. */
    public Optional<String> nodeRunning(String routeId) {
        String namespace = namespaceOfRoute.get(routeId);
        if (!enabled() || namespace == null) {
            return startedHere(routeId) ? Optional.of(nodeId()) : Optional.empty();
        }
        return leaderOf(routeId, namespace);
    }

    /**
     * Whether the route here is out of step with its election: its cluster policy and the coordinator disagree about
     * whether this node leads (the route then runs without leading, or stays stopped although this node was elected),
     * or this node leads and the route has never started since it was added. Camel's {@link ClusteredRoutePolicy}
     * learns of leadership through events only, and ZooKeeper's view keeps a node that gave up a route queued in the
     * election, holding a leadership it wins while its view is stopped for up to 5 s; when the route is added again
     * meanwhile, the policy can be told too early (before the route can start) or not at all, and the route then runs
     * nowhere (seen in CI) or on two nodes. A route an admin stopped in Hawtio after it ran is not out of step.
     * False without a coordinator.
     */
    public boolean outOfStepWithElection(String routeId) {
        String namespace = namespaceOfRoute.get(routeId);
        ClusteredRoutePolicy policy = enabled() && namespace != null ? policyOf(routeId) : null;
        if (policy == null || !policy.isStarted()) {
            return false;
        }
        boolean leads = service.isLeader(namespace);
        if (policy.isLeader() != leads) {
            return true;
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        return leads && status == ServiceStatus.Stopped && !startedOnce.contains(routeId);
    }

    /** Every route that runs on one node at a time, with the node running it. */
    public List<Placement> placements() {
        return namespaceOfRoute.entrySet().stream()
                .map(e -> new Placement(
                        e.getKey(),
                        e.getValue(),
                        leaderOf(e.getKey(), e.getValue()).orElse(null)))
                .sorted(Comparator.comparing(Placement::routeId))
                .toList();
    }

    /** The live nodes, as the coordinator knows them (this node alone without one). */
    public List<String> members() {
        CamelClusterView view = nodesView;
        if (!enabled() || view == null) {
            return List.of(nodeId());
        }
        try {
            return view.getMembers().stream()
                    .map(CamelClusterMember::getId)
                    .distinct()
                    .sorted()
                    .toList();
        } catch (RuntimeException e) {
            log.debug("Cannot list the cluster's members", e);
            return List.of(nodeId());
        }
    }

    /**
     * The preferred node of each key among the live nodes, the same on every node that sees the same members and keys:
     * keys in sorted order each go to the first node in their rendezvous order (a score per node and key) that holds
     * fewer than its fair share, {@code ceil(keys / nodes)}. Plain rendezvous hashing leaves six connections on three
     * nodes as 4/1/1 often enough; the bound makes it 2/2/2 while a key still mostly keeps its node when a node joins
     * or leaves. Without a coordinator, or before this node is among the members, every key is this node's. The
     * election still decides; this orders who joins it first and what a node hands over.
     */
    public Map<String, String> placement(Collection<String> keys) {
        List<String> live = members();
        if (!enabled() || live.size() <= 1 || !live.contains(nodeId())) {
            Map<String, String> placement = new HashMap<>();
            keys.forEach(key -> placement.put(key, nodeId()));
            return placement;
        }
        return place(keys, live);
    }

    /** {@link #placement} over the given live nodes. */
    static Map<String, String> place(Collection<String> keys, List<String> live) {
        Map<String, String> placement = new HashMap<>();
        List<String> sorted = keys.stream().distinct().sorted().toList();
        int share = (sorted.size() + live.size() - 1) / live.size();
        Map<String, Integer> held = new HashMap<>();
        for (String key : sorted) {
            String chosen = live.stream()
                    .sorted(Comparator.comparingLong((String member) -> score(member, key))
                            .reversed())
                    .filter(member -> held.getOrDefault(member, 0) < share)
                    .findFirst()
                    .orElseThrow();
            held.merge(chosen, 1, Integer::sum);
            placement.put(key, chosen);
        }
        return placement;
    }

    private static long score(String member, String key) {
        return mix(mix(member.hashCode()) + key.hashCode());
    }

    /** A 64-bit finalizer (SplitMix64), so that similar names do not score alike. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Whether this node is connected to its coordinator; empty when there is none or it cannot tell. */
    public Optional<Boolean> coordinatorConnected() {
        if (curator == null) {
            return Optional.empty();
        }
        return Optional.of(curator.getZookeeperClient().isConnected());
    }

    /**
     * The leader of a route's election, asked only while the route's policy here holds the election's view: a view
     * nobody holds would be started by asking, which queues this node in the election again.
     */
    private Optional<String> leaderOf(String routeId, String namespace) {
        ClusteredRoutePolicy policy = policyOf(routeId);
        if (policy == null || !policy.isStarted()) {
            return Optional.empty();
        }
        CamelClusterView view = null;
        try {
            view = service.getView(namespace);
            return view.getLeader().map(CamelClusterMember::getId);
        } catch (Exception e) {
            log.debug("Cannot read the leader of {}", namespace, e);
            return Optional.empty();
        } finally {
            if (view != null) {
                try {
                    service.releaseView(view);
                } catch (Exception e) {
                    log.debug("Cannot release the view of {}", namespace, e);
                }
            }
        }
    }

    /** The cluster policy of the route here, or null when there is no such route or it runs on every node. */
    private ClusteredRoutePolicy policyOf(String routeId) {
        CamelContext context = camel;
        Route route = context == null ? null : context.getRoute(routeId);
        if (route == null) {
            return null;
        }
        return route.getRoutePolicyList().stream()
                .filter(ClusteredRoutePolicy.class::isInstance)
                .map(ClusteredRoutePolicy.class::cast)
                .findFirst()
                .orElse(null);
    }

    private boolean startedHere(String routeId) {
        CamelContext context = camel;
        if (context == null) {
            return false;
        }
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        return status != null && status.isStarted();
    }

    /** Called before Camel starts: the cluster service joins Camel, and marked routes get their policy. */
    void attach(CamelContext context) throws Exception {
        this.camel = context;
        if (!enabled()) {
            return;
        }
        if (curator != null) {
            curator.start();
        }
        context.addService(service);
        context.addRoutePolicyFactory(new OneNodePolicies());
        EventNotifierSupport starts = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                String routeId =
                        ((CamelEvent.RouteStartedEvent) event).getRoute().getRouteId();
                if (namespaceOfRoute.containsKey(routeId)) {
                    startedOnce.add(routeId);
                }
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.RouteStartedEvent;
            }
        };
        // route events only: a notifier that takes exchange events is asked about every exchange of every route
        starts.setIgnoreExchangeEvents(true);
        starts.setIgnoreStepEvents(true);
        starts.setIgnoreCamelContextEvents(true);
        starts.setIgnoreCamelContextInitEvents(true);
        starts.setIgnoreServiceEvents(true);
        starts.start(); // as Camel's own policies do: a notifier added to a context is not started for it
        context.getManagementStrategy().addEventNotifier(starts);
        log.info("mailgate node {} coordinates through {}", nodeId(), coordinator);
    }

    /** Called once Camel started: join the nodes' namespace, so that the other nodes see this one. */
    void joined() throws Exception {
        if (enabled() && nodesView == null) {
            nodesView = service.getView(NODES_NAMESPACE);
        }
    }

    /** After Camel stopped (its routes gave up their elections): leave ZooKeeper. */
    void close() {
        if (curator != null) {
            curator.close();
        }
    }

    /** A {@link ClusteredRoutePolicy} for each route marked to run on one node, each with its own namespace. */
    private final class OneNodePolicies implements RoutePolicyFactory {

        @Override
        public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
            String namespace = namespaceOfRoute.get(routeId);
            if (namespace == null) {
                return null;
            }
            try {
                ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(service, namespace);
                policy.setCamelContext(context);
                return policy;
            } catch (Exception e) {
                throw new IllegalStateException("Cannot make the cluster policy of route " + routeId, e);
            }
        }
    }
}

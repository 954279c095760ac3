package io.mailgate.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
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
    public record Placement(String routeId, String namespace, String node) {
    }

    private final ClusterProperties properties;
    private final CamelClusterService service;
    private final String coordinator;
    /** The ZooKeeper client this node's cluster service uses (started and closed here), or null. */
    private final org.apache.curator.framework.CuratorFramework curator;
    private final Instant since = Instant.now();
    /** Route id → its namespace, for the routes that run on one node at a time. */
    private final Map<String, String> namespaceOfRoute = new ConcurrentHashMap<>();
    private volatile CamelContext camel;
    private volatile CamelClusterView nodesView;

    Cluster(ClusterProperties properties, CamelClusterService service, String coordinator,
            org.apache.curator.framework.CuratorFramework curator) {
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
        }
    }

    /** The route was removed: it no longer needs a namespace. */
    public void forget(String routeId) {
        namespaceOfRoute.remove(routeId);
    }

    /** The node running a route now: its namespace's leader, or this node when the route is started here. */
    public Optional<String> nodeRunning(String routeId) {
        String namespace = namespaceOfRoute.get(routeId);
        if (!enabled() || namespace == null) {
            return startedHere(routeId) ? Optional.of(nodeId()) : Optional.empty();
        }
        return leaderOf(namespace);
    }

    /** Every route that runs on one node at a time, with the node running it. */
    public List<Placement> placements() {
        return namespaceOfRoute.entrySet().stream()
                .map(e -> new Placement(e.getKey(), e.getValue(), leaderOf(e.getValue()).orElse(null)))
                .sorted(java.util.Comparator.comparing(Placement::routeId)).toList();
    }

    /** The live nodes, as the coordinator knows them (this node alone without one). */
    public List<String> members() {
        CamelClusterView view = nodesView;
        if (!enabled() || view == null) {
            return List.of(nodeId());
        }
        try {
            return view.getMembers().stream().map(CamelClusterMember::getId).distinct().sorted().toList();
        } catch (RuntimeException e) {
            log.debug("Cannot list the cluster's members", e);
            return List.of(nodeId());
        }
    }

    /**
     * Whether this node is the preferred one for {@code key} among the live nodes (rendezvous hashing): every node
     * computes the same answer from the same members, so connections spread evenly, and only about a third of them
     * move when a third node joins or leaves. The election still decides; this only orders who joins it first.
     */
    public boolean preferredHere(String key) {
        List<String> live = members();
        if (!enabled() || live.size() <= 1 || !live.contains(nodeId())) {
            return true;
        }
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String member : live) {
            long score = mix(mix(member.hashCode()) + key.hashCode());
            if (best == null || score > bestScore) {
                best = member;
                bestScore = score;
            }
        }
        return nodeId().equals(best);
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

    private Optional<String> leaderOf(String namespace) {
        if (!service.getNamespaces().contains(namespace)) {
            // not (yet) taking part in this election: asking would join it
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

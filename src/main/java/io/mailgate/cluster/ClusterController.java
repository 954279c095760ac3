package io.mailgate.cluster;

import io.mailgate.ingest.ConnectionRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/cluster}, system admins only: the live nodes, what each runs, and the coordinator. */
@RestController
class ClusterController {

    record NodeView(String id, Instant since, boolean self, List<String> connections, List<String> forwarders) {}

    record CoordinatorView(String type, String address, Boolean connected) {}

    record ClusterView(
            String node,
            boolean clustered,
            CoordinatorView coordinator,
            List<NodeView> nodes,
            List<String> unassigned) {}

    private final Cluster cluster;
    private final ClusterNodes nodes;

    ClusterController(Cluster cluster, ClusterNodes nodes) {
        this.cluster = cluster;
        this.nodes = nodes;
    }

    @GetMapping("/api/v1/cluster")
    ClusterView cluster() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null
                || caller.getAuthorities().stream().noneMatch(a -> "ROLE_SYSTEM_ADMIN".equals(a.getAuthority()))) {
            throw new AccessDeniedException("The cluster is visible to system admins only.");
        }
        Map<String, List<String>> connections = new LinkedHashMap<>();
        Map<String, List<String>> forwarders = new LinkedHashMap<>();
        List<String> unassigned = new ArrayList<>();
        List<String> members = cluster.members();
        members.forEach(m -> {
            connections.put(m, new ArrayList<>());
            forwarders.put(m, new ArrayList<>());
        });
        for (Cluster.Placement placement : cluster.placements()) {
            ConnectionRef ref = ConnectionRef.ofRoute(placement.routeId());
            String name = ref != null ? ref.name() : placement.routeId().replaceFirst("^mailgate-outbox-", "");
            if (placement.node() == null) {
                unassigned.add(ref != null ? name : "forwarder " + name);
                continue;
            }
            (ref != null ? connections : forwarders)
                    .computeIfAbsent(placement.node(), n -> new ArrayList<>())
                    .add(name);
        }
        Map<String, Instant> since = nodes.since();
        List<NodeView> views = new ArrayList<>();
        for (String node : connections.keySet()) {
            views.add(new NodeView(
                    node,
                    since.get(node),
                    node.equals(cluster.nodeId()),
                    connections.get(node),
                    forwarders.getOrDefault(node, List.of())));
        }
        String coordinator = cluster.coordinator();
        CoordinatorView coordinatorView = coordinator == null
                ? null
                : new CoordinatorView(
                        coordinator.substring(0, coordinator.indexOf(' ')),
                        coordinator.substring(coordinator.indexOf(' ') + 1),
                        cluster.coordinatorConnected().orElse(null));
        return new ClusterView(cluster.nodeId(), cluster.enabled(), coordinatorView, views, unassigned);
    }
}

package io.mailgate.cluster;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** When each node last started, kept in the shared database so that any node can tell (the coordinator cannot). */
@Component
class ClusterNodes {

    private final JdbcTemplate jdbc;
    private final Cluster cluster;

    ClusterNodes(JdbcTemplate jdbc, Cluster cluster) {
        this.jdbc = jdbc;
        this.cluster = cluster;
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        if (!cluster.enabled()) {
            return;
        }
        OffsetDateTime since = OffsetDateTime.ofInstant(cluster.since(), ZoneOffset.UTC);
        if (jdbc.update("UPDATE cluster_nodes SET started_at = ? WHERE node_id = ?", since, cluster.nodeId()) == 0) {
            try {
                jdbc.update("INSERT INTO cluster_nodes (node_id, started_at) VALUES (?, ?)", cluster.nodeId(), since);
            } catch (DuplicateKeyException sameIdElsewhere) {
                // two nodes with one id: the coordinator's view will show it; nothing to record twice
            }
        }
    }

    Map<String, Instant> since() {
        Map<String, Instant> since = new HashMap<>();
        jdbc.query("SELECT node_id, started_at FROM cluster_nodes", rs -> {
            since.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
        });
        if (!cluster.enabled()) {
            since.put(cluster.nodeId(), cluster.since());
        }
        return since;
    }
}

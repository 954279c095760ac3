package io.mailgate.route;

import io.mailgate.connection.ConnectionEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each connection's route generation in the database: bumped in the transaction of every change to the connection,
 * so that the nodes of a cluster see, after the commit, which routes to replace. On a single node this is one small
 * write per change that nobody reads.
 */
@Component
class ConnectionRouteGenerations {

    private final JdbcTemplate jdbc;

    ConnectionRouteGenerations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Published inside the changing transaction: the bump commits, or rolls back, with the change. */
    @EventListener
    void changed(ConnectionEvents.Changed event) {
        bump(event.connectionId());
    }

    @EventListener
    void removed(ConnectionEvents.Removed event) {
        bump(event.connectionId());
    }

    private void bump(long connectionId) {
        jdbc.update(
                "MERGE INTO connection_route_generations g USING (SELECT CAST(? AS BIGINT) AS id) c "
                        + "ON g.connection_id = c.id "
                        + "WHEN MATCHED THEN UPDATE SET generation = g.generation + 1 "
                        + "WHEN NOT MATCHED THEN INSERT (connection_id, generation) VALUES (c.id, 1)",
                connectionId);
    }

    /** The enabled connections: those placed over the nodes. */
    List<Long> enabled() {
        return jdbc.queryForList("SELECT id FROM connections WHERE enabled = TRUE", Long.class);
    }

    /** Connection id → generation, for every connection that ever existed. */
    Map<Long, Long> all() {
        Map<Long, Long> generations = new HashMap<>();
        jdbc.query("SELECT connection_id, generation FROM connection_route_generations", rs -> {
            generations.put(rs.getLong(1), rs.getLong(2));
        });
        return generations;
    }
}

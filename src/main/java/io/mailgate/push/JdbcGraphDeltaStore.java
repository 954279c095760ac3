package io.mailgate.push;

import io.mailgate.component.msgraph.GraphDeltaStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** One connection's delta links in table graph_sync_state, by folder. */
public final class JdbcGraphDeltaStore implements GraphDeltaStore {

    private final JdbcTemplate jdbc;
    private final long connectionId;

    public JdbcGraphDeltaStore(JdbcTemplate jdbc, long connectionId) {
        this.jdbc = jdbc;
        this.connectionId = connectionId;
    }

    @Override
    public String deltaLink(String folderId) {
        List<String> links = jdbc.queryForList(
                "SELECT delta_link FROM graph_sync_state WHERE connection_id = ?" + " AND folder_id = ?",
                String.class,
                connectionId,
                folderId);
        return links.isEmpty() ? null : links.get(0);
    }

    @Override
    public void save(String folderId, String deltaLink) {
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update(
                        "UPDATE graph_sync_state SET delta_link = ?, updated_at = ? WHERE connection_id = ?"
                                + " AND folder_id = ?",
                        deltaLink,
                        now,
                        connectionId,
                        folderId)
                == 0) {
            try {
                jdbc.update(
                        "INSERT INTO graph_sync_state (connection_id, folder_id, delta_link, updated_at)"
                                + " VALUES (?, ?, ?, ?)",
                        connectionId,
                        folderId,
                        deltaLink,
                        now);
            } catch (DuplicateKeyException raced) {
                jdbc.update(
                        "UPDATE graph_sync_state SET delta_link = ?, updated_at = ? WHERE connection_id = ?"
                                + " AND folder_id = ?",
                        deltaLink,
                        now,
                        connectionId,
                        folderId);
            } catch (DataAccessException gone) {
                // the connection was deleted meanwhile (its rows go with it): nothing to keep
            }
        }
    }

    @Override
    public void clear(String folderId) {
        jdbc.update("DELETE FROM graph_sync_state WHERE connection_id = ? AND folder_id = ?", connectionId, folderId);
    }

    @Override
    public String toString() {
        return "JdbcGraphDeltaStore[connection " + connectionId + "]";
    }
}

package io.mailgate.route;

import io.mailgate.connection.ConnectionState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * In a cluster, the node running a connection shares how its route is doing (state, reason, last poll, last error)
 * in the database, and the other nodes answer its status from there. Written when something changed, and at least
 * every {@link #REFRESH} while polls go on, so that a busy node does not write on every poll.
 */
@Component
class ConnectionRuntimeShare {

    static final Duration REFRESH = Duration.ofSeconds(30);

    /** What the running node last said about a connection. */
    record Shared(
            String node,
            ConnectionState state,
            String reason,
            Instant lastPollAt,
            Instant lastSuccessAt,
            String lastError,
            String lastErrorCode) {}

    private final JdbcTemplate jdbc;
    private final Map<Long, Shared> published = new ConcurrentHashMap<>();
    private final Map<Long, Instant> publishedAt = new ConcurrentHashMap<>();

    ConnectionRuntimeShare(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void publish(long connectionId, Shared now) {
        Shared before = published.get(connectionId);
        Instant at = publishedAt.get(connectionId);
        boolean same = before != null
                && before.node().equals(now.node())
                && before.state() == now.state()
                && Objects.equals(before.reason(), now.reason())
                && Objects.equals(before.lastError(), now.lastError())
                && Objects.equals(before.lastSuccessAt() == null, now.lastSuccessAt() == null);
        if (same && at != null && at.plus(REFRESH).isAfter(Instant.now())) {
            return;
        }
        Object[] values = {
            now.node(),
            now.state().name(),
            cut(now.reason()),
            time(now.lastPollAt()),
            time(now.lastSuccessAt()),
            cut(now.lastError()),
            now.lastErrorCode(),
            OffsetDateTime.now(ZoneOffset.UTC),
            connectionId
        };
        if (jdbc.update(
                        "UPDATE connection_runtime SET node_id = ?, state = ?, reason = ?, last_poll_at = ?, "
                                + "last_success_at = ?, last_error = ?, last_error_code = ?, updated_at = ? WHERE connection_id = ?",
                        values)
                == 0) {
            try {
                jdbc.update(
                        "INSERT INTO connection_runtime (node_id, state, reason, last_poll_at, last_success_at, "
                                + "last_error, last_error_code, updated_at, connection_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        values);
            } catch (DuplicateKeyException inserted) {
                return; // another node inserted it at the same moment; the next interval writes again
            }
        }
        published.put(connectionId, now);
        publishedAt.put(connectionId, Instant.now());
    }

    /** What {@code node} last shared about the connection, if it is the node that shared last. */
    Optional<Shared> of(long connectionId, String node) {
        List<Shared> found = jdbc.query(
                "SELECT node_id, state, reason, last_poll_at, last_success_at, last_error, "
                        + "last_error_code FROM connection_runtime WHERE connection_id = ?",
                (rs, n) -> new Shared(
                        rs.getString(1),
                        ConnectionState.valueOf(rs.getString(2)),
                        rs.getString(3),
                        instant(rs, 4),
                        instant(rs, 5),
                        rs.getString(6),
                        rs.getString(7)),
                connectionId);
        return found.stream().filter(s -> s.node().equals(node)).findFirst();
    }

    private static String cut(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

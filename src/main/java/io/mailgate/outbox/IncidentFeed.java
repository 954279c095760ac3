package io.mailgate.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads the incident change feed for forwarders and keeps each forwarder's position in it. */
@Component
class IncidentFeed {

    /** One incident to deliver, at its position in the feed. */
    record Change(long incidentId, long changeSeq) {}

    private final JdbcTemplate jdbc;

    IncidentFeed(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void register(String forwarder) {
        Integer known = jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_forwarders WHERE forwarder = ?", Integer.class, forwarder);
        if (known != null && known == 0) {
            try {
                jdbc.update(
                        "INSERT INTO outbox_forwarders (forwarder, last_change_seq, delivered) VALUES (?, 0, 0)",
                        forwarder);
            } catch (DuplicateKeyException anotherNode) {
                // registered at the same moment elsewhere
            }
        }
    }

    long position(String forwarder) {
        return jdbc.queryForObject(
                "SELECT last_change_seq FROM outbox_forwarders WHERE forwarder = ?", Long.class, forwarder);
    }

    /** The next incidents after the forwarder's position, in feed order. */
    List<Change> pending(String forwarder, List<String> organizations, int limit) {
        List<Object> args = new ArrayList<>();
        args.add(position(forwarder));
        StringBuilder sql = new StringBuilder("SELECT i.id, i.change_seq FROM incidents i JOIN organizations o "
                + "ON o.id = i.org_id WHERE i.change_seq > ?");
        if (!organizations.isEmpty()) {
            sql.append(" AND o.handle IN (")
                    .append(String.join(",", Collections.nCopies(organizations.size(), "?")))
                    .append(")");
            args.addAll(organizations);
        }
        sql.append(" ORDER BY i.change_seq LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> new Change(rs.getLong(1), rs.getLong(2)), args.toArray());
    }

    /** The incident as forwarders send it; null when it no longer exists. */
    @Transactional(readOnly = true)
    Map<String, Object> incident(long id) {
        List<Map<String, Object>> found = jdbc.query(
                "SELECT i.id, o.handle, i.title, i.status, i.created_at, "
                        + "i.updated_at, i.connection_api_name, i.change_seq FROM incidents i JOIN organizations o "
                        + "ON o.id = i.org_id WHERE i.id = ?",
                (rs, n) -> {
                    Map<String, Object> incident = new LinkedHashMap<>();
                    incident.put("id", rs.getLong(1));
                    incident.put("org", rs.getString(2));
                    incident.put("title", rs.getString(3));
                    incident.put("status", rs.getString(4));
                    incident.put("createdAt", instant(rs, 5));
                    incident.put("updatedAt", instant(rs, 6));
                    incident.put("connection", rs.getString(7));
                    incident.put("changeSeq", rs.getLong(8));
                    return incident;
                },
                id);
        if (found.isEmpty()) {
            return null;
        }
        Map<String, Object> incident = found.get(0);
        incident.put(
                "tags",
                jdbc.queryForList(
                        "SELECT tag FROM incident_tags WHERE incident_id = ? ORDER BY tag", String.class, id));
        incident.put(
                "messages",
                jdbc.query(
                        "SELECT id, message_id, subject, from_address, received_at, link_reason, "
                                + "sha256 FROM email_messages WHERE incident_id = ? ORDER BY id",
                        (rs, n) -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("id", rs.getLong(1));
                            m.put("messageId", rs.getString(2));
                            m.put("subject", rs.getString(3));
                            m.put("from", rs.getString(4));
                            m.put("receivedAt", instant(rs, 5));
                            m.put("linkReason", rs.getString(6));
                            m.put("sha256", rs.getString(7));
                            return m;
                        },
                        id));
        incident.put(
                "artifacts",
                jdbc.query(
                        "SELECT type, artifact_value FROM artifacts WHERE incident_id = ? ORDER BY id",
                        (rs, n) -> Map.of("type", rs.getString(1), "value", rs.getString(2)),
                        id));
        return incident;
    }

    /** The forwarder's endpoint accepted the change: move past it. */
    void delivered(String forwarder, long changeSeq, Instant now) {
        jdbc.update(
                "UPDATE outbox_forwarders SET last_change_seq = ?, delivered = delivered + 1, last_success_at = ?, "
                        + "last_error = NULL WHERE forwarder = ? AND last_change_seq < ?",
                changeSeq,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                forwarder,
                changeSeq);
    }

    void failed(String forwarder, String error, Instant now) {
        jdbc.update(
                "UPDATE outbox_forwarders SET last_failure_at = ?, last_error = ? WHERE forwarder = ?",
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error,
                forwarder);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

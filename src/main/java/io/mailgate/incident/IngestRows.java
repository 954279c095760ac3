package io.mailgate.incident;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Inserts a new incident and a stored message with plain JDBC, inside the store's transaction. Through JPA each
 * insert went through Hibernate's persister, action queue and identity delegate, a fifth of the group committer's
 * CPU and a large part of what the JIT compiler still had to compile during a run (issue 13). The entities stay
 * what the API reads; {@link EmailMessageEntity} is only the row's holder here.
 */
@Component
class IngestRows {

    private static final String INSERT_INCIDENT = "INSERT INTO incidents"
            + " (org_id, connection_id, connection_api_name, title, status, change_pending, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, 'OPEN', TRUE, ?, ?)";

    private static final String INSERT_MESSAGE = "INSERT INTO email_messages (org_id, connection_id,"
            + " connection_api_name, incident_id, raw_content_id, dedup_key, source_position, message_id,"
            + " message_id_reused, in_reply_to, references_json, subject, from_address, from_name, to_json, cc_json,"
            + " sent_at, received_at, size, sha256, fingerprint, encrypted, decrypted, signature, encryption_format,"
            + " decrypted_with, signer, signer_certificate, link_reason, headers_json, attachments_json, text_body,"
            + " html_body, reported_json)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)";

    private final JdbcTemplate jdbc;

    IngestRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A new incident, pending its first change-feed position (see ChangeSequencer); returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    long insertIncident(long orgId, Long connectionId, String connectionApiName, String title, Instant now) {
        return insert(INSERT_INCIDENT, ps -> {
            ps.setLong(1, orgId);
            setLong(ps, 2, connectionId);
            ps.setString(3, connectionApiName);
            ps.setString(4, title);
            ps.setObject(5, utc(now));
            ps.setObject(6, utc(now));
        });
    }

    /** The message's row; returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    long insertMessage(EmailMessageEntity m) {
        return insert(INSERT_MESSAGE, ps -> {
            int i = 0;
            ps.setLong(++i, m.orgId);
            setLong(ps, ++i, m.connectionId);
            ps.setString(++i, m.connectionApiName);
            ps.setLong(++i, m.incidentId);
            ps.setLong(++i, m.rawContentId);
            ps.setString(++i, m.dedupKey);
            ps.setString(++i, m.sourcePosition);
            ps.setString(++i, m.messageId);
            ps.setBoolean(++i, m.messageIdReused);
            ps.setString(++i, m.inReplyTo);
            ps.setString(++i, m.referencesJson);
            ps.setString(++i, m.subject);
            ps.setString(++i, m.fromAddress);
            ps.setString(++i, m.fromName);
            ps.setString(++i, m.toJson);
            ps.setString(++i, m.ccJson);
            ps.setObject(++i, m.sentAt == null ? null : utc(m.sentAt), Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setObject(++i, utc(m.receivedAt));
            ps.setLong(++i, m.size);
            ps.setString(++i, m.sha256);
            ps.setString(++i, m.fingerprint);
            ps.setBoolean(++i, m.encrypted);
            ps.setBoolean(++i, m.decrypted);
            ps.setString(++i, m.signature);
            ps.setString(++i, m.encryptionFormat);
            ps.setString(++i, m.decryptedWith);
            ps.setString(++i, m.signer);
            ps.setString(++i, m.signerCertificate);
            ps.setString(++i, m.linkReason);
            ps.setString(++i, m.headersJson);
            ps.setString(++i, m.attachmentsJson);
            ps.setString(++i, m.textBody);
            ps.setString(++i, m.htmlBody);
            ps.setString(++i, m.reportedJson);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private long insert(String sql, Binder binder) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement ps = connection.prepareStatement(sql, new String[] {"id"});
                    binder.bind(ps);
                    return ps;
                },
                keys);
        Number id = keys.getKeyAs(Number.class);
        return id != null ? id.longValue() : ((Number) keys.getKeys().get("id")).longValue();
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}

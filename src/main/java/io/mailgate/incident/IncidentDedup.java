package io.mailgate.incident;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Dedup: was this message stored before? One query answers all three questions (same source position, same
 * Message-ID and content, another message with this Message-ID), each EXISTS served by its own index.
 * It reads committed data only; two deliveries racing past it both are stopped by the unique indexes on
 * dedup_key and source position when the second commits, and the store step then records a duplicate.
 */
@Component
public class IncidentDedup {

    private static final String CHECK = "SELECT"
            + " EXISTS (SELECT 1 FROM email_messages WHERE connection_id = ? AND source_position = ?),"
            + " EXISTS (SELECT 1 FROM email_messages WHERE dedup_key = ?),"
            + " EXISTS (SELECT 1 FROM email_messages WHERE org_id = ? AND connection_id = ? AND message_id = ?)";

    private final JdbcTemplate jdbc;

    IncidentDedup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public DedupVerdict check(ConnectionEntity connection, RawEmail raw, ParsedEmail email) {
        long orgId = connection.getOrgId();
        String key = dedupKey(orgId, connection.getId(), email.messageId(), email.contentFingerprint());
        String messageId = IngestService.truncate(email.messageId(), 998);
        return jdbc.queryForObject(
                CHECK,
                (rs, row) -> {
                    boolean samePosition = rs.getBoolean(1);
                    boolean sameMessage = rs.getBoolean(2);
                    // A sender controls Message-ID: a different message reusing one is kept, and flagged.
                    boolean reused = rs.getBoolean(3);
                    return new DedupVerdict(key, samePosition || sameMessage, reused);
                },
                connection.getId(),
                raw.sourcePosition(),
                key,
                orgId,
                connection.getId(),
                messageId);
    }

    /**
     * The same message, as DESIGN.md defines it: same organization, connection and Message-ID, and the same
     * content fingerprint (the author's header fields and the body, see io.mailgate.parse.ContentFingerprint).
     * Never null: without a Message-ID the content alone decides.
     */
    static String dedupKey(long orgId, long connectionId, String messageId, String contentFingerprint) {
        String material =
                orgId + "\n" + connectionId + "\n" + (messageId == null ? "" : messageId) + "\n" + contentFingerprint;
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.mailgate.incident;

import io.mailgate.ingest.SqlDialect;
import io.mailgate.parse.Artifact;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Adds a message's artifacts to its incident in one JDBC batch: the database skips those the incident has
 * already (a unique index, V12), instead of an exists-query and an insert per artifact — which was 29% of
 * the ingest thread's CPU (issue 13). An incident created for this very message has none yet, and the message's
 * own duplicates are dropped here, so its artifacts are plain inserts: H2's MERGE, a query and an insert per
 * artifact, was the largest cost of the group committer after the commit itself (issue 13's profile).
 */
@Component
class ArtifactWriter {

    static final int MAX_VALUE = 2048;
    static final int MAX_FOUND_IN = 256;

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    ArtifactWriter(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    /** @param newIncident whether the incident was created for this message, in this transaction */
    @Transactional(propagation = Propagation.MANDATORY)
    void add(long incidentId, boolean newIncident, long messageId, List<Artifact> found) {
        if (found == null || found.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>(found.size());
        for (Artifact a : found) {
            String value = IngestService.truncate(a.value(), MAX_VALUE);
            if (value == null) {
                continue;
            }
            String key = valueKey(value);
            if (seen.add(a.type().name() + ":" + key)) {
                rows.add(new Object[] {
                    incidentId,
                    messageId,
                    a.type().name(),
                    value,
                    key,
                    IngestService.truncate(a.foundIn(), MAX_FOUND_IN)
                });
            }
        }
        if (!rows.isEmpty()) {
            jdbc.batchUpdate(newIncident ? dialect.insertArtifact() : dialect.insertArtifactUnlessPresent(), rows);
        }
    }

    /** Hex SHA-256 of the UTF-8 value: the same key the V12 migrations computed for existing rows. */
    static String valueKey(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

package io.mailgate.ingest;

import java.util.Locale;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The few statements of the store path that H2 and PostgreSQL spell differently, chosen once from the
 * database the application is connected to (here, next to the raw content store that needs it too, because
 * the incident package depends on this one). Everything else is written once for both.
 */
@Component
public class SqlDialect {

    private static final String INSERT_ARTIFACT = "INSERT INTO artifacts"
            + " (incident_id, message_id, type, artifact_value, value_key, found_in) VALUES (?, ?, ?, ?, ?, ?)";

    private final boolean postgres;

    public SqlDialect(JdbcTemplate jdbc) {
        String product =
                jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        this.postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
    }

    /** Whether the database is PostgreSQL (else H2). */
    public boolean postgres() {
        return postgres;
    }

    /**
     * Inserts one artifact, the same for both databases (for an incident created in the same transaction, which has
     * none yet); parameters as {@link #insertArtifactUnlessPresent()}.
     */
    public String insertArtifact() {
        return INSERT_ARTIFACT;
    }

    /**
     * Inserts one artifact unless its incident has it already (unique index on incident, type and value key);
     * parameters: incident_id, message_id, type, artifact_value, value_key, found_in. The existing row keeps
     * the message it was first found in.
     */
    public String insertArtifactUnlessPresent() {
        return postgres
                ? INSERT_ARTIFACT + " ON CONFLICT (incident_id, type, value_key) DO NOTHING"
                // H2's MERGE INTO ... KEY would update the existing row; the standard MERGE can insert only.
                : "MERGE INTO artifacts t USING (SELECT CAST(? AS BIGINT) incident_id, CAST(? AS BIGINT) message_id,"
                        + " CAST(? AS VARCHAR(32)) type, CAST(? AS VARCHAR(2048)) artifact_value,"
                        + " CAST(? AS VARCHAR(64)) value_key, CAST(? AS VARCHAR(256)) found_in) s"
                        + " ON t.incident_id = s.incident_id AND t.type = s.type AND t.value_key = s.value_key"
                        + " WHEN NOT MATCHED THEN INSERT (incident_id, message_id, type, artifact_value, value_key, found_in)"
                        + " VALUES (s.incident_id, s.message_id, s.type, s.artifact_value, s.value_key, s.found_in)";
    }
}

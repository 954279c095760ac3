package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailgate.testing.IngestTestSupport;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How many SQL statements storing a message costs, counted by H2's own query statistics over messages with
 * many artifacts: the store path must not issue a query per artifact (issue 13: an exists-query and an insert
 * per artifact were 29% of the ingest thread's CPU). Prints the statements it counted.
 */
class StoreStatementsTest extends IngestTestSupport {

    private static final int MESSAGES = 20;
    private static final int URLS_PER_MESSAGE = 15;
    /** Tables only the store path touches per message, so background work (outbox, health) is not counted. */
    private static final List<String> STORE_TABLES = List.of(
            "email_messages",
            "artifacts",
            "raw_content",
            "change_sequence",
            "insert into incidents",
            "update incidents",
            "from incidents i1_0 where");

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void storingAMessageCostsAFewStatementsWhateverItsArtifacts() {
        jdbc.execute("SET QUERY_STATISTICS_MAX_ENTRIES 2000");
        jdbc.execute("SET QUERY_STATISTICS TRUE");
        Mailbox mailbox = mailbox();
        for (int i = 0; i < MESSAGES; i++) {
            StringBuilder body = new StringBuilder("Reported links:\r\n");
            for (int u = 0; u < URLS_PER_MESSAGE; u++) {
                body.append("http://host")
                        .append(u)
                        .append(".bad")
                        .append(i)
                        .append(".example/login?id=")
                        .append(u)
                        .append("\r\n");
            }
            deliver(mailbox, message(newMessageId(), "Statements " + i, body.toString()));
        }
        Map<String, Long> before = statistics();
        createImapConnection(mailbox);
        await().atMost(Duration.ofSeconds(60)).until(() -> seen(mailbox) == MESSAGES);
        Map<String, Long> after = statistics();

        long total = 0;
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long count = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            String sql = e.getKey().toLowerCase(Locale.ROOT);
            // An incident's readers (the outbox forwarder of another test's connection in this shared context, the
            // API) select by incident_id; they read, the store does not, so they are not the store's cost.
            boolean reader = sql.startsWith("select") && sql.contains("where incident_id = ?");
            if (count > 0 && !reader && STORE_TABLES.stream().anyMatch(sql::contains)) {
                total += count;
                report.append(String.format("%6d  %s%n", count, e.getKey().replaceAll("\\s+", " ")));
            }
        }
        double perMessage = (double) total / MESSAGES;
        System.out.printf(
                "store statements: %d for %d messages with %d+ artifacts each = %.1f per message%n%s",
                total, MESSAGES, URLS_PER_MESSAGE * 2, perMessage, report);
        // dedup 1, raw 1, incident 1, message 1, artifacts 1 batch (counted per row by H2), and after the commit the
        // change sequencer's pass: counter lock 1, positions 1 (a batch, per row), counter 1
        assertThat(perMessage - artifactRows(report)).as(report.toString()).isLessThanOrEqualTo(8.0);
    }

    /** Rows of the artifact batch per message: H2 counts each row of a batch as one execution. */
    private static double artifactRows(StringBuilder report) {
        return report.toString()
                        .lines()
                        .filter(l -> l.toLowerCase(Locale.ROOT).contains("into artifacts"))
                        .mapToLong(l -> Long.parseLong(l.strip().split("\\s+")[0]))
                        .sum()
                / (double) MESSAGES;
    }

    private Map<String, Long> statistics() {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS", rs -> {
            counts.merge(rs.getString(1), rs.getLong(2), Long::sum);
        });
        return counts;
    }
}

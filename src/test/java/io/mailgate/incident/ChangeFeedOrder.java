package io.mailgate.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The change feed's promise, checked the hard way (issue 15.6): two ingest transactions, the later-started one
 * committing first, while a reader pages with ?after=. Run on H2 ({@link ChangeFeedOrderTest}) and on PostgreSQL
 * ({@link PostgresIngestTest}). A design that gave positions inside the ingest transactions without one lock
 * would hand the first-started transaction the lower position and the reader, already past it, would skip it;
 * a sequencer that waited for the open transaction would not return while it is open.
 */
public final class ChangeFeedOrder {

    public record Change(long incidentId, long position) {}

    private ChangeFeedOrder() {}

    /** Returns the reader's pages: first the one after the later-started commit, then the one after the other. */
    public static List<List<Change>> laterStartedTransactionCommitsFirst(
            DataSource dataSource, ChangeSequencer sequencer) throws Exception {
        long org;
        long existing;
        long cursor;
        try (Connection setup = dataSource.getConnection()) {
            setup.setAutoCommit(true);
            org = single(setup, "SELECT id FROM organizations ORDER BY id LIMIT 1");
            existing = newIncident(setup, org, "existing incident");
            sequencer.afterCommit();
            cursor = single(setup, "SELECT MAX(change_seq) FROM incidents");
        }
        try (Connection first = dataSource.getConnection();
                Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            // The first ingest starts: its existing incident changes and a new one is created, not committed yet.
            try (Statement s = first.createStatement()) {
                s.executeUpdate("UPDATE incidents SET change_pending = TRUE WHERE id = " + existing);
            }
            long slow = newIncident(first, org, "slow ingest");
            // The second starts later and commits first; its pass must not wait for the first transaction.
            long fast = newIncident(second, org, "fast ingest");
            second.commit();
            CompletableFuture.runAsync(sequencer::afterCommit).get(20, TimeUnit.SECONDS);
            List<Change> page1 = page(dataSource, org, cursor);
            long after = page1.isEmpty() ? cursor : page1.get(page1.size() - 1).position();
            first.commit();
            sequencer.afterCommit();
            List<Change> page2 = page(dataSource, org, after);
            assertThat(page1)
                    .extracting(Change::incidentId)
                    .as("only the committed change is visible")
                    .contains(fast)
                    .doesNotContain(slow, existing);
            assertThat(page2)
                    .extracting(Change::incidentId)
                    .as("the change that committed later is not skipped")
                    .contains(slow, existing);
            return List.of(page1, page2);
        }
    }

    /** What GET …/incidents?after= and the outbox forwarder read: positions after the cursor, in order. */
    private static List<Change> page(DataSource dataSource, long org, long after) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, change_seq FROM incidents WHERE org_id = ? AND change_seq > ? ORDER BY change_seq")) {
            ps.setLong(1, org);
            ps.setLong(2, after);
            List<Change> changes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getLong(1), rs.getLong(2)));
                }
            }
            return changes;
        }
    }

    private static long newIncident(Connection c, long org, String title) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incidents (org_id, title, status, change_pending,"
                        + " created_at, updated_at) VALUES (?, ?, 'OPEN', TRUE, ?, ?)",
                new String[] {"id"})) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            ps.setLong(1, org);
            ps.setString(2, title);
            ps.setObject(3, now);
            ps.setObject(4, now);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

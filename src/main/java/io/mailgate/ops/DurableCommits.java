package io.mailgate.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks at start-up, before any mailbox is read, that a commit is durable when it returns: a source marks a
 * message read right after the pipeline's commit, so a commit that reaches the disk later can lose a message
 * that is already \Seen on its server (kill -9, power loss).
 * <ul>
 * <li>H2 file database: WRITE_DELAY must be 0 (H2's default writes a commit up to 500 ms later). A deployment
 * whose own URL lacks it (an old config/application.yaml) is set to 0 here, with a warning; and a URL without
 * DB_CLOSE_ON_EXIT=FALSE is warned about (H2 then closes itself on SIGTERM while Camel still stores mail).</li>
 * <li>PostgreSQL: {@code synchronous_commit=off} or {@code fsync=off} make committed transactions losable; they
 * are server settings mailgate cannot fix, so it warns naming them.</li>
 * </ul>
 */
@Component
class DurableCommits implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(DurableCommits.class);

    private final DataSource dataSource;
    /** As configured: H2's own metadata leaves the settings out of the URL. */
    private final String url;

    DurableCommits(DataSource dataSource, @Value("${spring.datasource.url:}") String url) {
        this.dataSource = dataSource;
        this.url = url;
    }

    @Override
    public void afterPropertiesSet() {
        try (Connection connection = dataSource.getConnection();
                Statement sql = connection.createStatement()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                checkH2(url, sql);
            } else if (product.contains("postgres")) {
                checkPostgres(sql);
            }
        } catch (SQLException e) {
            // Not being able to check is no reason to stop; the database's own errors come soon enough.
            log.warn("Cannot check that the database's commits are durable: {}", e.getMessage());
        }
    }

    private static void checkH2(String url, Statement sql) throws SQLException {
        String upper = url == null ? "" : url.toUpperCase(Locale.ROOT);
        if (upper.startsWith("JDBC:H2:MEM:")) {
            return; // nothing survives a crash anyway
        }
        String delay = setting(
                sql, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'");
        if (delay != null && !"0".equals(delay.trim())) {
            sql.execute("SET WRITE_DELAY 0");
            log.warn(
                    "H2 WRITE_DELAY was {} ms: a crash could lose messages already marked read at their source. "
                            + "Set it to 0 for this run; add ;WRITE_DELAY=0 to spring.datasource.url to keep it.",
                    delay);
        }
        if (!upper.contains("DB_CLOSE_ON_EXIT=FALSE")) {
            log.warn(
                    "H2 URL without DB_CLOSE_ON_EXIT=FALSE: on shutdown H2 closes the database while mail may still be "
                            + "being stored. Add ;DB_CLOSE_ON_EXIT=FALSE to spring.datasource.url.");
        }
    }

    private static void checkPostgres(Statement sql) throws SQLException {
        for (String name : new String[] {"synchronous_commit", "fsync"}) {
            String value = setting(sql, "SHOW " + name);
            if ("off".equalsIgnoreCase(value)) {
                log.warn(
                        "PostgreSQL {}=off: a committed message can be lost in a crash after it was marked read at "
                                + "its source. Set {} = on in postgresql.conf.",
                        name,
                        name);
            }
        }
    }

    private static String setting(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}

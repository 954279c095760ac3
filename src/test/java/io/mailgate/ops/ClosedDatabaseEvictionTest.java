package io.mailgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import io.mailgate.api.DatabaseOutage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An embedded H2 whose disk fills up closes its database, and every pooled connection then fails with 90098. With
 * the pool's exception override that mailgate configures, the database is back as soon as the disk has room, with
 * everything it had committed; without it (Hikari's own rules) the pool kept failing until a restart. The disk is
 * made full through H2's file system abstraction ({@link FullDiskFilePath}).
 */
class ClosedDatabaseEvictionTest {

    private static final String OVERRIDE = "spring.datasource.hikari.exception-override-class-name";

    @TempDir
    Path directory;

    @BeforeAll
    static void fullDisk() {
        FullDiskFilePath.register();
    }

    @AfterEach
    void roomAgain() {
        FullDiskFilePath.FULL.set(false);
    }

    @Test
    void mailgatesPoolUsesTheOverride() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yaml"));
        assertThat(yaml.getObject().getProperty(OVERRIDE)).isEqualTo(ClosedDatabaseEviction.class.getName());
    }

    @Test
    void anH2ThatClosedItselfOnAFullDiskIsBackOnceThereIsRoomWithWhatItCommitted() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:fullDisk:" + directory.resolve("db") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(2000);
        config.setExceptionOverrideClassName(ClosedDatabaseEviction.class.getName());
        try (HikariDataSource pool = new HikariDataSource(config)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            jdbc.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
            jdbc.update("INSERT INTO t VALUES (1, 'before')");

            FullDiskFilePath.FULL.set(true);
            assertThatThrownBy(() -> insert(pool, 2)).isInstanceOf(SQLException.class);
            SQLException closed = catchThrowableOfType(SQLException.class, () -> insert(pool, 3));
            assertThat(closed.getErrorCode()).as("the database closed itself").isEqualTo(90098);
            assertThat(DatabaseOutage.causedBy(closed))
                    .as("so the API answers 503")
                    .isTrue();

            FullDiskFilePath.FULL.set(false);
            // Each stale connection fails once, on its next use, and is dropped; the pool holds at most three.
            List<Integer> attempts = new ArrayList<>();
            for (int id = 10; id < 15 && (attempts.isEmpty() || attempts.get(attempts.size() - 1) != 0); id++) {
                int row = id;
                attempts.add(codeOf(() -> insert(pool, row)));
            }
            assertThat(attempts).last().as("attempts " + attempts).isEqualTo(0);
            assertThat(attempts).hasSizeLessThanOrEqualTo(4);
            assertThat(jdbc.queryForList("SELECT v FROM t ORDER BY id", String.class))
                    .containsExactly("before", "after");
        }
    }

    @Test
    void onlyH2sClosedDatabaseIsForcedOut() {
        ClosedDatabaseEviction override = new ClosedDatabaseEviction();
        assertThat(override.adjudicate(new SQLException("The database has been closed", "90098", 90098)))
                .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        assertThat(override.adjudicate(new SQLException(
                        "wrapped", "HY000", 50000, new SQLException("Database is already closed", "90121", 90121))))
                .isEqualTo(SQLExceptionOverride.Override.MUST_EVICT);
        // PostgreSQL's and everything else: Hikari's own rules decide (it evicts on 08xxx by itself)
        assertThat(override.adjudicate(new SQLException("terminating connection", "57P01", 0)))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
        assertThat(override.adjudicate(new SQLException("duplicate key", "23505", 0)))
                .isEqualTo(SQLExceptionOverride.Override.CONTINUE_EVICT);
    }

    private static void insert(HikariDataSource pool, int id) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (" + id + ", 'after')");
        }
    }

    private interface Call {
        void run() throws SQLException;
    }

    /** 0 when the call succeeds, else its SQLException's error code. */
    private static int codeOf(Call call) {
        try {
            call.run();
            return 0;
        } catch (SQLException e) {
            return e.getErrorCode();
        }
    }
}

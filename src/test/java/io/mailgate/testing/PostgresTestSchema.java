package io.mailgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * A PostgreSQL schema of its own in the test database, for mailgate running in JVMs of its own (kill -9, the
 * launcher, cluster nodes): the database is shared with the other tests, which bootstrap their own admin.
 */
public record PostgresTestSchema(String url, String user, String password, String schema) {

    /**
     * A fresh schema in the PostgreSQL database the environment names (the one CI provides): CI must provide it,
     * elsewhere the test is skipped without it.
     */
    public static PostgresTestSchema fromEnvironment(String prefix) throws Exception {
        String url = firstSet(
                "MAILGATE_TEST_POSTGRES_CLUSTER_URL",
                "MAILGATE_TEST_POSTGRES_INGEST_URL",
                "MAILGATE_TEST_POSTGRES_URL");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(url).as("CI must provide PostgreSQL").isNotBlank();
        }
        assumeThat(url)
                .as("MAILGATE_TEST_POSTGRES_CLUSTER_URL, _INGEST_URL or _URL")
                .isNotBlank();
        return create(
                url,
                System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_USER", "mailgate"),
                System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_PASSWORD", ""),
                prefix);
    }

    private static String firstSet(String... names) {
        for (String name : names) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    public static PostgresTestSchema create(String url, String user, String password, String prefix) throws Exception {
        String schema = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA " + schema);
        }
        return new PostgresTestSchema(url, user, password, schema);
    }

    /** The JDBC URL whose connections work in this schema. */
    public String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** mailgate's command-line arguments for running on this schema (Flyway migrates it). */
    public List<String> applicationArguments() {
        return List.of(
                "--spring.datasource.url=" + schemaUrl(),
                "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password,
                "--spring.flyway.default-schema=" + schema);
    }

    public Connection connect() throws Exception {
        return DriverManager.getConnection(schemaUrl(), user, password);
    }

    /** Drops the schema and the large objects of its raw messages (they live outside any schema). */
    public void drop() {
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement sql = db.createStatement()) {
            try {
                sql.execute("SELECT lo_unlink(content) FROM " + schema + ".raw_content");
            } catch (Exception noLargeObjects) {
                // the schema may not have been migrated
            }
            sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.err.println("Could not drop schema " + schema + ": " + e);
        }
    }
}

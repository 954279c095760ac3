package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Group commit on PostgreSQL, where a failed statement aborts the whole transaction: the group must be rolled back
 * and its messages stored one by one, as on H2. Same database as {@link PostgresIngestTest}; skipped without it
 * (never in CI).
 */
class PostgresGroupCommitIngestTest extends GroupCommitIngestTest {

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(PostgresIngestTest.URL)
                    .as("CI must provide PostgreSQL (MAILGATE_TEST_POSTGRES_INGEST_URL)")
                    .isNotBlank();
        }
        assumeThat(PostgresIngestTest.URL)
                .as("MAILGATE_TEST_POSTGRES_INGEST_URL")
                .isNotBlank();
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresIngestTest.postgres(registry);
    }
}

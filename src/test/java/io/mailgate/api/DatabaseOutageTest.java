package io.mailgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.mailgate.testing.SystemApiTestSupport;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The database goes away under a running mailgate (here: its pool can no longer log in, so every new connection
 * fails, as when the server is down or an embedded H2 closed itself on a full disk). Every API call, whichever way
 * it authenticates, answers 503 with Retry-After and says why, instead of 500 (an API key lookup failing in the
 * security filter) or 401 (a password that could not be checked); once the database is back the same calls work.
 * A context of its own, thrown away afterwards, since its pool is broken on purpose.
 */
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=1000")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseOutageTest extends SystemApiTestSupport {

    @Autowired
    DataSource dataSource;

    @Test
    void everyApiCallIs503WithRetryAfterWhileTheDatabaseIsUnreachableAndWorksAgainAfter() throws SQLException {
        String org = newOrg("outage");
        String key = bearer(newApiKey(org, "ADMIN"));
        String connections = "/api/v1/orgs/" + org + "/connections";
        assertThat(get(connections, key).status()).isEqualTo(200);

        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        String username = pool.getUsername();
        String password = pool.getPassword();
        pool.getHikariConfigMXBean().setUsername("mailgate-outage-test");
        pool.getHikariConfigMXBean().setPassword("not-the-password");
        pool.getHikariPoolMXBean().softEvictConnections();
        try {
            for (String authorization : List.of(ADMIN, key)) {
                Reply reply = getOnce(connections, authorization);

                assertProblem(reply, 503);
                assertThat(reply.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(DatabaseOutage.RETRY_AFTER);
                assertThat(reply.json().get("detail").asText()).isEqualTo(DatabaseOutage.DETAIL);
                assertThat(reply.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                        .isNull();
            }
        } finally {
            pool.getHikariConfigMXBean().setUsername(username);
            pool.getHikariConfigMXBean().setPassword(password);
        }

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Reply reply = getOnce(connections, key);
        while (reply.status() != 200 && Instant.now().isBefore(deadline)) {
            reply = getOnce(connections, key);
        }
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(get(connections, ADMIN).status()).isEqualTo(200);
    }
}

package io.mailgate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailgate.testing.IngestTestSupport;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.TestPropertySource;

/**
 * The status tells the truth (issue 17): messages failing inside a poll that itself worked (a failing pipeline
 * hook, the database refusing to store) make the connection FAILING with a code, or DEGRADED while others get
 * through, and it recovers when messages flow; a refused password is retried less and less often and then not at
 * all (PAUSED_AUTH) until an admin resumes the connection. Its own database and hook route, and quick retries.
 */
@TestPropertySource(
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mailgate-status;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=2000",
            "mailgate.external-routes.directory=src/test/resources/status-routes",
            "mailgate.routes.auth-retry.first-delay=1s",
            "mailgate.routes.auth-retry.max-delay=2s",
            "mailgate.routes.auth-retry.pause-after=3",
        })
class ConnectionStatusTest extends IngestTestSupport {

    private static final String POISON = "mailgateTestPoison";

    @Autowired
    DataSource dataSource;

    private final ListAppender<ILoggingEvent> emailLog = new ListAppender<>();

    @BeforeEach
    void recordEmailLog() {
        emailLog.start();
        ((Logger) LoggerFactory.getLogger("mailgate.email")).addAppender(emailLog);
    }

    @AfterEach
    void stopRecording() {
        ((Logger) LoggerFactory.getLogger("mailgate.email")).detachAppender(emailLog);
        System.clearProperty(POISON);
    }

    @Test
    void messagesFailingInsideAPollAreNotOkAndTheStateRecoversWhenTheyFlowAgain() {
        System.setProperty(POISON, "on");
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "A good report", "x"));
        deliver(mailbox, message(newMessageId(), "Poison report", "x"));
        String connection = createImapConnection(mailbox);

        // the first poll stores one and fails one: not OK, degraded; the next ones only fail: the mailbox is stuck
        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lines(connection))
                    .anyMatch(l -> l.contains("poll=PARTIAL code=MESSAGE_FAILED") && l.contains("failed=1"));
            assertThat(lines(connection)).anyMatch(l -> l.contains("state=DEGRADED code=MESSAGE_FAILED"));
            var status = status(connection);
            assertThat(status.get("state").asText()).isEqualTo("FAILING");
            assertThat(status.get("lastErrorCode").asText()).isEqualTo("MESSAGE_FAILED");
            assertThat(status.get("reason").asText()).contains("poisoned by the test");
        });
        assertThat(lines(connection))
                .anyMatch(l -> l.contains("poll=FAILED code=MESSAGE_FAILED"))
                .noneMatch(l -> l.contains("poll=OK messages=1"));

        System.clearProperty(POISON);
        awaitMessages(connection, 2);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var status = status(connection);
            assertThat(status.get("state").asText()).isEqualTo("RUNNING");
            assertThat(status.get("lastErrorCode").isNull()).isTrue();
            assertThat(lines(connection)).anyMatch(l -> l.contains("state=RUNNING recovered after MESSAGE_FAILED"));
        });
    }

    @Test
    void aDatabaseThatCannotStoreMakesTheConnectionFailWithStorageFailed() throws Exception {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING"));
        // The incidents table is taken away, as with a database that refuses every write: every store fails. (Holding
        // the change feed's row no longer blocks an ingest: positions are given after the commit.)
        try (Connection ddl = dataSource.getConnection();
                Statement statement = ddl.createStatement()) {
            statement.executeUpdate("ALTER TABLE incidents RENAME TO incidents_away");
            try {
                deliver(mailbox, message(newMessageId(), "Cannot be stored yet", "x"));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var status = status(connection);
                    assertThat(status.get("state").asText()).isEqualTo("FAILING");
                    assertThat(status.get("lastErrorCode").asText()).isEqualTo("STORAGE_FAILED");
                    assertThat(lines(connection)).anyMatch(l -> l.contains("poll=FAILED code=STORAGE_FAILED"));
                    assertThat(lines(connection)).anyMatch(l -> l.contains("state=FAILING code=STORAGE_FAILED"));
                });
                assertThat(seen(mailbox)).isZero();
            } finally {
                statement.executeUpdate("ALTER TABLE incidents_away RENAME TO incidents");
            }
        }
        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING"));
    }

    @Test
    void aRefusedPasswordIsTriedLessOftenThenNotAtAllUntilAnAdminResumes() {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Behind a wrong password", "x"));
        String connection = createConnection(imapConnection(unique("locked"), mailbox, "wrong-password"));

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            var status = status(connection);
            assertThat(status.get("state").asText()).isEqualTo("PAUSED_AUTH");
            assertThat(status.get("lastErrorCode").asText()).isEqualTo("AUTH_FAILED");
            assertThat(status.get("reason").asText())
                    .contains("3 times in a row")
                    .contains("resume");
        });
        // polls every second, yet signed in only three times, each wait longer than the one before (1 s, then 2 s)
        List<Instant> tries = tries(connection);
        assertThat(tries).hasSize(3);
        assertThat(Duration.between(tries.get(0), tries.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(Duration.between(tries.get(1), tries.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(lines(connection)).anyMatch(l -> l.contains("state=PAUSED_AUTH code=AUTH_FAILED failures=3"));

        // the mailbox's password is corrected on the server: still no try until an admin resumes the connection
        mailbox.user().setPassword("wrong-password");
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(tries(connection)).hasSize(3);
            assertThat(status(connection).get("state").asText()).isEqualTo("PAUSED_AUTH");
        });
        Reply resumed =
                call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + connection + "/resume", admin(), null);
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json().get("state").asText()).isNotEqualTo("PAUSED_AUTH");
        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING"));
        assertThat(call(HttpMethod.POST, "/api/v1/orgs/default/connections/no_such/resume", admin(), null)
                        .status())
                .isEqualTo(404);
    }

    /** What the email log said so far (the appender adds under its own lock, from the polling threads). */
    private List<ILoggingEvent> logged() {
        synchronized (emailLog) {
            return List.copyOf(emailLog.list);
        }
    }

    private List<Instant> tries(String connection) {
        return logged().stream()
                .filter(e -> e.getFormattedMessage().startsWith("connection=default/" + connection + " ")
                        && e.getFormattedMessage().contains("poll=FAILED code=AUTH_FAILED"))
                .map(ILoggingEvent::getInstant)
                .toList();
    }

    private List<String> lines(String connection) {
        return logged().stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(l -> l.startsWith("connection=default/" + connection + " "))
                .toList();
    }
}

package io.mailgate.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailgate.testing.IngestTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/** IMAP IDLE: with push on, mail arriving in an idling mailbox is taken at once, not at the next poll. */
class ImapIdleTest extends IngestTestSupport {

    @Autowired
    MeterRegistry meters;

    @Test
    void aMessageArrivingWhileIdlingBecomesAnIncidentLongBeforeThePoll() {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Already there", "x"));
        Map<String, Object> request = imapConnection(unique("push"), mailbox, mailbox.password());
        request.put("polling", Map.of("intervalSeconds", 300, "push", true));
        String connection = createConnection(request);

        // The first poll drains what is there, then the connection idles.
        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(status(connection).get("mode").asText()).isEqualTo("PUSH"));

        // The next poll is five minutes away: only IDLE can bring these in within seconds.
        for (int i = 1; i <= 3; i++) {
            deliver(mailbox, message(newMessageId(), "Pushed " + i, "x"));
            int expected = 1 + i;
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(expected));
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(4));
        assertThat(status(connection).get("mode").asText()).isEqualTo("PUSH");
        assertThat(meters.find("mailgate.imap.idle.wakeups")
                        .tag("connection", "default/" + connection)
                        .counter())
                .isNotNull()
                .satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(3));
    }

    /**
     * The missed wake-up of the push benchmark: a message arriving after a drain's last search but before the
     * folder idles again. Dovecot then answers IDLE with {@code + idling\r\n* 3 EXISTS\r\n} in one packet;
     * the front makes GreenMail do the same.
     */
    @Test
    void aMessageArrivingBetweenTheLastSearchAndIdleIsTakenAtOnce() throws Exception {
        // The next IDLE follows the drain of "Wakes it up": deliver another message just before it. The poll is five
        // minutes away: without a second look the message would wait for it.
        aMessageDeliveredJustBeforeIsTakenAtOnce("IDLE", "Between search and IDLE");
    }

    /** A message arriving while the pipeline stores a batch (just before the batch's UID STORE). */
    @Test
    void aMessageArrivingWhileABatchIsCommittedIsTakenAtOnce() throws Exception {
        aMessageDeliveredJustBeforeIsTakenAtOnce("UID STORE", "During the commit");
    }

    /** Delivers a message just before the source's next {@code command}, while it handles a wake-up. */
    private void aMessageDeliveredJustBeforeIsTakenAtOnce(String command, String subject) throws Exception {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Already there", "x"));
        try (ImapTestFront front = new ImapTestFront(MAIL.getImap().getPort()).dovecotOrder()) {
            String connection = pushConnection(mailbox, front);
            awaitMessages(connection, 1);
            awaitMode(connection, "PUSH");

            front.beforeNext(command, () -> deliver(mailbox, message(newMessageId(), subject, "x")));
            deliver(mailbox, message(newMessageId(), "Wakes it up", "x"));
            await().atMost(Duration.ofSeconds(10)).until(front::hookRan);

            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(3));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(3));
            remove(connection);
        }
    }

    @Test
    void aServerWithoutIdleIsPolledAndTheStatusSaysWhy() throws Exception {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Before", "x"));
        try (ImapTestFront front = new ImapTestFront(MAIL.getImap().getPort()).hideIdle()) {
            String connection = pushConnection(mailbox, front, 1);
            awaitMessages(connection, 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var status = status(connection);
                assertThat(status.get("mode").asText()).isEqualTo("POLL");
                assertThat(status.get("modeReason").asText()).isEqualTo("server has no IDLE");
            });
            deliver(mailbox, message(newMessageId(), "By poll", "x"));
            awaitMessages(connection, 2);
            assertThat(status(connection).get("modeReason").asText()).isEqualTo("server has no IDLE");
            remove(connection);
        }
    }

    /** The server goes away mid-IDLE and comes back: the status says so, mail sent meanwhile is not missed. */
    @Test
    void aConnectionLostWhileIdlingIsReportedAndReconnectedAndMissesNothing() throws Exception {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Before", "x"));
        // GreenMail's handler thread throws when the front drops its connection; that is the point here.
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        try (ImapTestFront front = new ImapTestFront(MAIL.getImap().getPort())) {
            String connection = pushConnection(mailbox, front);
            awaitMessages(connection, 1);
            awaitMode(connection, "PUSH");

            front.down(true);
            front.cut();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                var status = status(connection);
                assertThat(status.get("mode").asText()).isEqualTo("POLL");
                assertThat(status.get("modeReason").asText()).startsWith("not connected");
                assertThat(status.get("state").asText()).isEqualTo("FAILING");
            });
            deliver(mailbox, message(newMessageId(), "While the server was away", "x"));
            front.down(false);

            // Reconnected within the back-off (seconds), long before the five-minute poll.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(2));
            awaitMode(connection, "PUSH");
            assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING");
            deliver(mailbox, message(newMessageId(), "Pushed after the reconnect", "x"));
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(3));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(3));
            remove(connection);
        } finally {
            Awaitility.reset();
        }
    }

    private String pushConnection(Mailbox mailbox, ImapTestFront front) {
        return pushConnection(mailbox, front, 300);
    }

    private String pushConnection(Mailbox mailbox, ImapTestFront front, int intervalSeconds) {
        Map<String, Object> request = imapConnection(unique("push"), mailbox, mailbox.password());
        ((Map<String, Object>) request.get("imap")).put("port", front.port());
        request.put("polling", Map.of("intervalSeconds", intervalSeconds, "push", true));
        return createConnection(request);
    }

    private void awaitMode(String connection, String mode) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(status(connection).get("mode").asText()).isEqualTo(mode));
    }

    private void remove(String connection) {
        call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + connection, admin(), null);
    }

    @Test
    void withPushOffTheConnectionSaysItPolls() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("poll"), mailbox, mailbox.password());
        request.put("polling", Map.of("intervalSeconds", 1, "push", false));
        String connection = createConnection(request);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var status = status(connection);
            assertThat(status.get("mode").asText()).isEqualTo("POLL");
            assertThat(status.get("modeReason").asText()).isEqualTo("push is off");
        });
    }
}

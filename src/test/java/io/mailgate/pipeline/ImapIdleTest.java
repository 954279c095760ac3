package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

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
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(connection).get("mode").asText())
                .isEqualTo("PUSH"));

        // The next poll is five minutes away: only IDLE can bring these in within seconds.
        for (int i = 1; i <= 3; i++) {
            deliver(mailbox, message(newMessageId(), "Pushed " + i, "x"));
            int expected = 1 + i;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(messages(connection)).hasSize(expected));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(4));
        assertThat(status(connection).get("mode").asText()).isEqualTo("PUSH");
        assertThat(meters.find("mailgate.imap.idle.wakeups").tag("connection", "default/" + connection).counter())
                .isNotNull().satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(3));
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

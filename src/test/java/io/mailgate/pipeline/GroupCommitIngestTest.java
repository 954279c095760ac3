package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.store.StoredMessage;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.ParsedEmail;
import io.mailgate.testing.IngestTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Flags;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Group commit end to end over IMAP: a batch parsed in parallel is stored in one transaction, dedup and link see
 * the messages before them in the same group, and one bad message in a batch neither fails nor doubles the others.
 * The first message of each batch is held back a moment before the sink (a test step keyed on its subject and
 * batch index), so the rest of the batch is waiting there when it arrives and the whole batch is one group.
 */
class GroupCommitIngestTest extends IngestTestSupport {

    private static final String HOLD_BACK = "hold-back-4d2a";
    private static final String STORE_FAILS = "store-fails-91bc";
    private static final String REJECTED = "rejected-5e0f";
    /** The Spring contexts (H2 here, PostgreSQL in the subclass) whose routes carry the test's steps. */
    private static final Set<CamelContext> advised =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Autowired
    CamelContext camel;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (advised.contains(camel)) {
            return;
        }
        AdviceWith.adviceWith(
                camel,
                "mailgate-pipeline",
                route -> route.weaveById("mailgate-pipeline-incident-sink")
                        .before()
                        .process(exchange -> {
                            // Only the first of its batch: the copy of it at index 1 must not wait (and arrive alone).
                            if (subject(exchange).contains(HOLD_BACK)
                                    && exchange.getProperty(Exchange.BATCH_INDEX, -1, Integer.class) == 0) {
                                Thread.sleep(1500);
                            }
                        }));
        AdviceWith.adviceWith(
                camel,
                "mailgate-incident-sink",
                route -> route.weaveById("mailgate-sink-store").before().process(exchange -> {
                    if (subject(exchange).contains(STORE_FAILS)) {
                        throw new IllegalStateException("the test makes storing this message fail");
                    }
                    if (subject(exchange).contains(REJECTED)) {
                        throw new RejectedMessageException("TEST_REJECTED", "the test rejects this message");
                    }
                }));
        advised.add(camel);
    }

    @Test
    void aDuplicateAndAReplyInTheSameGroupSeeTheMessagesBeforeThem() {
        Mailbox mailbox = mailbox();
        String original = newMessageId();
        // Artifacts: a new incident's are plain inserts (the message's own repeats dropped first), a reply's are
        // added to its thread's incident unless it has them already.
        String first = message(
                original,
                "Phish " + HOLD_BACK,
                "click https://a.phish.example/x or https://b.phish.example/y (https://b.phish.example/y)");
        deliver(mailbox, first);
        deliver(mailbox, first); // the same message again, in the same batch
        deliver(
                mailbox,
                message(
                        newMessageId(),
                        "Re: Phish",
                        "more https://b.phish.example/y https://c.phish.example/z",
                        "In-Reply-To: " + original));
        deliver(mailbox, message(newMessageId(), "Unrelated", "x"));
        double groupedBefore = counted("mailgate.ingest.group.messages");

        String connection = createImapConnection(mailbox);
        List<JsonNode> stored = awaitMessages(connection, 3);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(4));

        assertThat(counted("mailgate.ingest.group.messages") - groupedBefore)
                .as("the four went through one group")
                .isGreaterThanOrEqualTo(4);
        Map<String, JsonNode> bySubject =
                stored.stream().collect(Collectors.toMap(m -> m.get("subject").asText(), m -> m));
        assertThat(bySubject).containsOnlyKeys("Phish " + HOLD_BACK, "Re: Phish", "Unrelated");
        long incident = bySubject.get("Phish " + HOLD_BACK).get("incidentId").asLong();
        assertThat(bySubject.get("Re: Phish").get("incidentId").asLong())
                .as("the reply joins its thread")
                .isEqualTo(incident);
        assertThat(bySubject.get("Unrelated").get("incidentId").asLong()).isNotEqualTo(incident);
        long firstId = bySubject.get("Phish " + HOLD_BACK).get("id").asLong();
        long replyId = bySubject.get("Re: Phish").get("id").asLong();
        Map<String, Long> urls = new HashMap<>();
        get("/api/v1/orgs/default/incidents/" + incident)
                .json()
                .get("artifacts")
                .forEach(a -> {
                    if (a.get("type").asText().equals("URL")) {
                        assertThat(urls.put(
                                        a.get("value").asText(),
                                        a.get("messageId").asLong()))
                                .as("each URL once in the incident: " + a)
                                .isNull();
                    }
                });
        assertThat(urls)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "https://a.phish.example/x", firstId,
                        "https://b.phish.example/y", firstId,
                        "https://c.phish.example/z", replyId));
        // The messages were stored in UID order: ids ascend with it.
        assertThat(bySubject.get("Phish " + HOLD_BACK).get("id").asLong())
                .isLessThan(bySubject.get("Re: Phish").get("id").asLong());
        assertThat(bySubject.get("Re: Phish").get("id").asLong())
                .isLessThan(bySubject.get("Unrelated").get("id").asLong());
    }

    @Test
    void aBatchWithAPoisonedMessageStoresAllTheOthersOnceAndMarksThemRead() {
        Mailbox mailbox = mailbox();
        for (int i = 1; i <= 10; i++) {
            String subject = switch (i) {
                case 1 -> "Number 1 " + HOLD_BACK;
                case 4 -> "Number 4 " + STORE_FAILS;
                case 7 -> "Number 7 " + REJECTED;
                default -> "Number " + i;
            };
            deliver(mailbox, message(newMessageId(), subject, "x"));
        }
        double rolledBackBefore = counted("mailgate.ingest.group.rollbacks");
        double aloneBefore = counted("mailgate.ingest.group.alone");

        String connection = createImapConnection(mailbox);
        awaitMessages(connection, 8);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(9));

        assertThat(counted("mailgate.ingest.group.rollbacks") - rolledBackBefore)
                .as("the group failed and was retried")
                .isGreaterThanOrEqualTo(1);
        assertThat(counted("mailgate.ingest.group.alone") - aloneBefore)
                .as("the rolled-back group's messages were stored one by one")
                .isGreaterThanOrEqualTo(2);
        List<String> subjects = messages(connection).stream()
                .map(m -> m.get("subject").asText())
                .toList();
        assertThat(subjects)
                .as("each good message exactly once")
                .hasSize(8)
                .doesNotHaveDuplicates()
                .noneMatch(s -> s.contains(STORE_FAILS) || s.contains(REJECTED));
        for (StoredMessage m : inbox(mailbox)) {
            boolean failing = subjectOf(m).contains(STORE_FAILS);
            assertThat(m.getFlags().contains(Flags.Flag.SEEN)).as(subjectOf(m)).isEqualTo(!failing);
        }
        JsonNode quarantined =
                get("/api/v1/orgs/default/quarantine?limit=500").json().get("items").findParents("connection").stream()
                        .filter(q -> q.get("connection").asText().equals(connection))
                        .findFirst()
                        .orElseThrow();
        assertThat(quarantined.get("reasonCode").asText()).isEqualTo("TEST_REJECTED");
        assertThat(quarantined.get("subject").asText()).isEqualTo("Number 7 " + REJECTED);
        // Later polls try the failing one again, alone; it still fails and nothing is doubled.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> messages(connection).size() == 8);
        // Its retries would otherwise join (and fail) the groups of the other tests.
        call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + connection, admin(), null);
    }

    /** A group-commit counter as /actuator/prometheus publishes it (fails when it is not registered). */
    private double counted(String name) {
        return meters.get(name).functionCounter().count();
    }

    private static String subject(Exchange exchange) {
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        return parsed == null || parsed.subject() == null ? "" : parsed.subject();
    }

    private static String subjectOf(StoredMessage m) {
        try {
            return m.getMimeMessage().getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

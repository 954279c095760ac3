package io.mailgate.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** An IMAP mailbox becomes incidents, end to end: GreenMail → Camel route → pipeline → database → HTTP API. */
class ImapIngestTest extends IngestTestSupport {

    @Test
    void aMessageBecomesAnIncidentReadableThroughTheApi() throws Exception {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        String messageId = newMessageId();
        deliver(
                mailbox,
                message(
                        messageId,
                        "Suspicious invoice",
                        "Please log in at http://bad.example/login or write to attacker@bad.example"));

        JsonNode message = awaitMessages(connection, 1).get(0);
        assertThat(message.get("messageId").asText()).isEqualTo(messageId);
        assertThat(message.get("subject").asText()).isEqualTo("Suspicious invoice");
        assertThat(message.get("from").asText()).isEqualTo("reporter@example.org");
        assertThat(message.get("linkReason").asText()).isEqualTo("NEW");

        JsonNode incident = get("/api/v1/orgs/default/incidents/"
                        + message.get("incidentId").asLong())
                .json();
        assertThat(incident.get("title").asText()).isEqualTo("Suspicious invoice");
        assertThat(incident.get("connection").asText()).isEqualTo(connection);
        assertThat(incident.get("messages")).hasSize(1);
        assertThat(incident.get("artifacts").findValuesAsText("value"))
                .contains("http://bad.example/login", "bad.example", "attacker@bad.example");

        byte[] raw = download(
                "/api/v1/orgs/default/email-messages/" + message.get("id").asLong() + "/raw");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)))
                .isEqualTo(message.get("sha256").asText());
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("Message-ID: " + messageId);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void hundredMessagesBecomeHundredIncidentsAllMarkedSeen() {
        Mailbox mailbox = mailbox();
        for (int i = 0; i < 100; i++) {
            deliver(mailbox, message(newMessageId(), "Report " + i, "body " + i));
        }
        String connection = createImapConnection(mailbox);

        List<JsonNode> messages = awaitMessages(connection, 100);
        Set<Long> incidents = new HashSet<>();
        messages.forEach(m -> incidents.add(m.get("incidentId").asLong()));
        assertThat(incidents).hasSize(100);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(100));
        assertThat(status(connection).get("messagesIngested").asLong()).isEqualTo(100);
    }

    @Test
    void aReplyJoinsTheIncidentOfTheMessageItAnswers() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        String original = newMessageId();
        deliver(mailbox, message(original, "Phish from the CEO", "original"));
        long incident = awaitMessages(connection, 1).get(0).get("incidentId").asLong();

        deliver(
                mailbox,
                message(
                        newMessageId(),
                        "Re: Phish from the CEO",
                        "more details",
                        "In-Reply-To: " + original,
                        "References: " + original));
        List<JsonNode> messages = awaitMessages(connection, 2);
        JsonNode reply = messages.get(1);
        assertThat(reply.get("incidentId").asLong()).isEqualTo(incident);
        assertThat(reply.get("linkReason").asText()).isEqualTo("THREAD");
    }

    @Test
    void aReferenceInTheSubjectJoinsThatIncident() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "First report", "first"));
        long incident = awaitMessages(connection, 1).get(0).get("incidentId").asLong();

        deliver(mailbox, message(newMessageId(), "Update [INC " + incident + "] more samples", "second"));
        JsonNode update = awaitMessages(connection, 2).get(1);
        assertThat(update.get("incidentId").asLong()).isEqualTo(incident);
        assertThat(update.get("linkReason").asText()).isEqualTo("REFERENCE_IN_SUBJECT");
        JsonNode incidentView =
                get("/api/v1/orgs/default/incidents/" + incident).json();
        assertThat(incidentView.get("messages")).hasSize(2);
    }

    @Test
    void theSameMessageDeliveredTwiceGivesOneIncident() {
        Mailbox mailbox = mailbox();
        String raw = message(newMessageId(), "Delivered twice", "same bytes");
        deliver(mailbox, raw);
        // A redelivery differs only in trace headers: still the same message.
        deliver(
                mailbox,
                "Received: from relay2.example.org by mx.example.test; Fri, 27 Nov 2026 10:16:00 +0000\r\n" + raw);
        String connection = createImapConnection(mailbox);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(2));
        assertThat(messages(connection)).hasSize(1);
    }

    @Test
    void aRedeliveryWithHeadersAddedInTransitIsOneMessage() {
        Mailbox mailbox = mailbox();
        String raw = message(newMessageId(), "Redelivered by the gateway", "same content");
        deliver(mailbox, raw);
        // What MTAs, gateways and Exchange add on a second trip: none of it is the author's content.
        deliver(
                mailbox,
                "Received: from gw2.example.org by mx.example.test; Fri, 27 Nov 2026 10:17:00 +0000\r\n"
                        + "X-Redelivery: yes\r\n"
                        + "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=example.org; b=xyz\r\n"
                        + "Authentication-Results: mx.example.test; dkim=pass\r\n"
                        + "X-MS-Exchange-Organization-SCL: 1\r\n"
                        + "X-Gateway-Scan: clean\r\n" + raw);
        String connection = createImapConnection(mailbox);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(2));
        List<JsonNode> stored = messages(connection);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("messageIdReused").asBoolean()).isFalse();
    }

    @Test
    void aDifferentMessageReusingAMessageIdIsKeptAndFlagged() {
        Mailbox mailbox = mailbox();
        String messageId = newMessageId();
        deliver(mailbox, message(messageId, "Original report", "one"));
        deliver(mailbox, message(messageId, "Another report with the same id", "two"));
        String connection = createImapConnection(mailbox);

        List<JsonNode> messages = awaitMessages(connection, 2);
        assertThat(messages.get(0).get("messageIdReused").asBoolean()).isFalse();
        assertThat(messages.get(1).get("messageIdReused").asBoolean()).isTrue();
    }

    @Test
    void aMalformedMessageIsQuarantinedAndTheNextOneStillArrives() {
        Mailbox mailbox = mailbox();
        deliver(mailbox, nestingBomb());
        deliver(mailbox, message(newMessageId(), "A fine message", "fine"));
        String connection = createImapConnection(mailbox);

        assertThat(awaitMessages(connection, 1).get(0).get("subject").asText()).isEqualTo("A fine message");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(2));
        JsonNode quarantined = quarantineOf(connection);
        assertThat(quarantined.get("reasonCode").asText()).isEqualTo("TOO_DEEP");
        assertThat(quarantined.get("reason").asText()).containsIgnoringCase("deep");
        // Never parsed, yet identified by its top-level header block.
        assertThat(quarantined.get("subject").asText()).isEqualTo("nesting bomb");
        assertThat(quarantined.get("from").asText()).isEqualTo("a@example.org");
        assertThat(quarantined.get("messageId").asText()).isEqualTo("<bomb-1@example.org>");
        assertThat(quarantined.get("date").asText()).isEqualTo("2026-11-27T10:15:00Z");
        byte[] raw = download(
                "/api/v1/orgs/default/quarantine/" + quarantined.get("id").asLong() + "/raw");
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("Subject: nesting bomb");
        assertThat(status(connection).get("messagesQuarantined").asLong()).isEqualTo(1);
    }

    @Test
    void appendModeQuarantinesAMessageThatMatchesNoIncident() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("append"), mailbox, mailbox.password());
        request.put("incidentPolicy", Map.of("mode", "APPEND"));
        String connection = createConnection(request);
        deliver(mailbox, message(newMessageId(), "No reference here", "x"));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
        assertThat(quarantineOf(connection).get("reasonCode").asText()).isEqualTo("UNMATCHED");
        assertThat(messages(connection)).isEmpty();
    }

    JsonNode quarantineOf(String connection) {
        JsonNode items = get("/api/v1/orgs/default/quarantine?limit=500").json().get("items");
        for (JsonNode item : items) {
            if (item.get("connection").asText().equals(connection)) {
                return item;
            }
        }
        throw new AssertionError("nothing quarantined for " + connection + ": " + items);
    }

    @Test
    void aQuarantinedMessageCanBeRetried() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("retry"), mailbox, mailbox.password());
        request.put("incidentPolicy", Map.of("mode", "APPEND"));
        String connection = createConnection(request);
        deliver(mailbox, message(newMessageId(), "Unmatched for now", "x"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
        long id = quarantineOf(connection).get("id").asLong();

        // Still unmatched: it stays in quarantine, with its reason.
        Reply again = call(HttpMethod.POST, "/api/v1/orgs/default/quarantine/" + id + "/retry", admin(), null);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("QUARANTINED");

        // After the admin switches the policy, the retry makes an incident.
        request.put("incidentPolicy", Map.of("mode", "CREATE_OR_APPEND"));
        request.remove("apiName");
        Reply put = call(HttpMethod.PUT, "/api/v1/orgs/default/connections/" + connection, admin(), request);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Reply released = call(HttpMethod.POST, "/api/v1/orgs/default/quarantine/" + id + "/retry", admin(), null);
        assertThat(released.json().get("status").asText()).isEqualTo("RELEASED");
        assertThat(messages(connection)).hasSize(1);
        assertThat(get("/api/v1/orgs/default/quarantine/" + id)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("RELEASED");
    }
}

package io.mailgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** An organization sees nothing of another's connections, incidents, messages or quarantine. */
class SecurityIsolationTest extends IngestTestSupport {

    @Test
    void anotherOrganizationGets404ForEverythingOfThisOne() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Org A only", "x"));
        JsonNode message = awaitMessages(connection, 1).get(0);
        long messageId = message.get("id").asLong();
        long incidentId = message.get("incidentId").asLong();

        String org = unique("org").replace('_', '-').toLowerCase();
        Reply created = call(HttpMethod.POST, "/api/v1/orgs", admin(), Map.of("handle", org, "name", "Other"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String user = unique("analyst");
        Reply member = call(
                HttpMethod.POST,
                "/api/v1/orgs/" + org + "/members",
                admin(),
                Map.of("username", user, "password", "Other-password-123", "role", "ADMIN"));
        assertThat(member.status()).as(member.body()).isIn(200, 201);
        String other = basic(user, "Other-password-123");

        for (String path : new String[] {
            "/api/v1/orgs/default/connections",
            "/api/v1/orgs/default/connections/" + connection,
            "/api/v1/orgs/default/connections/" + connection + "/status",
            "/api/v1/orgs/default/incidents",
            "/api/v1/orgs/default/incidents/" + incidentId,
            "/api/v1/orgs/default/email-messages/" + messageId,
            "/api/v1/orgs/default/email-messages/" + messageId + "/raw",
            "/api/v1/orgs/default/quarantine",
        }) {
            Reply reply = call(HttpMethod.GET, path, other, null);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.body()).as(path).doesNotContain("Org A only");
        }
        // Ids of org A do not resolve under org B's own paths either.
        assertThat(call(HttpMethod.GET, "/api/v1/orgs/" + org + "/incidents/" + incidentId, other, null)
                        .status())
                .isEqualTo(404);
        assertThat(call(HttpMethod.GET, "/api/v1/orgs/" + org + "/email-messages/" + messageId, other, null)
                        .status())
                .isEqualTo(404);
        JsonNode feed = call(HttpMethod.GET, "/api/v1/orgs/" + org + "/incidents", other, null)
                .json();
        assertThat(feed.get("items")).isEmpty();
    }

    @Test
    void aSubjectReferenceCannotReachAnotherOrganizationsIncident() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Original", "x"));
        long incidentId = awaitMessages(connection, 1).get(0).get("incidentId").asLong();

        String org = unique("org").replace('_', '-').toLowerCase();
        assertThat(call(HttpMethod.POST, "/api/v1/orgs", admin(), Map.of("handle", org, "name", "B"))
                        .status())
                .isEqualTo(201);
        Mailbox other = mailbox();
        Map<String, Object> request = imapConnection(unique("b"), other, other.password());
        Reply created = call(HttpMethod.POST, "/api/v1/orgs/" + org + "/connections", admin(), request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        deliver(other, message(newMessageId(), "Re: [INC " + incidentId + "] sneaky", "x"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode items = call(HttpMethod.GET, "/api/v1/orgs/" + org + "/email-messages", admin(), null)
                    .json()
                    .get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("linkReason").asText()).isEqualTo("NEW");
            assertThat(items.get(0).get("incidentId").asLong()).isNotEqualTo(incidentId);
        });
    }
}

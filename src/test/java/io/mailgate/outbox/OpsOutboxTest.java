package io.mailgate.outbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.mailgate.testing.IngestTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The outbox forwards each new incident to a SOAR's webhook, signed, retried, and delivered once. */
class OpsOutboxTest extends IngestTestSupport {

    @Test
    void aReceiverThatFailsTwiceGetsTheIncidentExactlyOnce() throws Exception {
        String subject = "Forwarded " + UUID.randomUUID();
        String scenario = "fails twice " + subject;
        SOAR.stubFor(post(urlEqualTo("/hook"))
                .inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .withRequestBody(containing(subject))
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("failed once"));
        SOAR.stubFor(post(urlEqualTo("/hook"))
                .inScenario(scenario)
                .whenScenarioStateIs("failed once")
                .withRequestBody(containing(subject))
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("failed twice"));
        SOAR.stubFor(post(urlEqualTo("/hook"))
                .inScenario(scenario)
                .whenScenarioStateIs("failed twice")
                .withRequestBody(containing(subject))
                .willReturn(aResponse().withStatus(202))
                .willSetStateTo("delivered"));

        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), subject, "x"));
        long incident = awaitMessages(connection, 1).get(0).get("incidentId").asLong();

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(deliveries(subject))
                        .extracting(e -> e.getResponse().getStatus())
                        .containsExactlyInAnyOrder(503, 500, 202));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(deliveries(subject)).hasSize(3));

        List<ServeEvent> tries = deliveries(subject);
        assertThat(tries)
                .extracting(e -> e.getRequest().getHeader("X-Mailgate-Delivery"))
                .containsOnly(tries.get(0).getRequest().getHeader("X-Mailgate-Delivery"));
        ServeEvent accepted = tries.stream()
                .filter(e -> e.getResponse().getStatus() == 202)
                .findFirst()
                .orElseThrow();
        String body = accepted.getRequest().getBodyAsString();
        assertThat(json.readTree(body).get("id").asLong()).isEqualTo(incident);
        assertThat(json.readTree(body).get("connection").asText()).isEqualTo(connection);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SOAR_HMAC_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((accepted.getRequest().getHeader("X-Mailgate-Timestamp") + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256="
                + HexFormat.of().formatHex(mac.doFinal(accepted.getRequest().getBody()));
        assertThat(accepted.getRequest().getHeader("X-Mailgate-Signature")).isEqualTo(expected);
        assertThat(accepted.getRequest().getHeader("Content-Type")).startsWith("application/json");
    }

    static List<ServeEvent> deliveries(String subject) {
        return SOAR.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains(subject))
                .toList();
    }
}

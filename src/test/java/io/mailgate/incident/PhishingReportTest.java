package io.mailgate.incident;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/** A user's phishing report: the reported original is shown beside the report, and allow-lists cut noise. */
class PhishingReportTest extends IngestTestSupport {

    static String report(String messageId, String reporterDomain) {
        return "From: Alice <alice@" + reporterDomain
                + ">\r\nTo: phish@example.test\r\nSubject: Fwd: Invoice overdue\r\n"
                + "Message-ID: " + messageId + "\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"r1\"\r\n\r\n"
                + "--r1\r\nContent-Type: text/plain\r\n\r\nThis looks like phishing, see our portal http://intranet."
                + reporterDomain + "/report from 10.1.2.3\r\n"
                + "--r1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"original.eml\"\r\n\r\n"
                + "Received: from mail.evil.example (mail.evil.example [203.0.113.7]) by mx.example.test; "
                + "Fri, 27 Nov 2026 09:00:00 +0000\r\n"
                + "From: Billing <billing@evil.example>\r\nTo: alice@" + reporterDomain
                + "\r\nSubject: Invoice overdue\r\n"
                + "Message-ID: <orig-" + messageId.substring(1) + "\r\nDate: Fri, 27 Nov 2026 09:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nPay now at hxxp://evil[.]example/pay\r\n"
                + "--r1--\r\n";
    }

    @Test
    void theReportedOriginalIsShownSeparatelyWithItsArtifacts() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, report(newMessageId(), "corp.example"));

        JsonNode message = awaitMessages(connection, 1).get(0);
        assertThat(message.get("from").asText()).isEqualTo("alice@corp.example");
        JsonNode reported = message.get("reported");
        assertThat(reported.get("format").asText()).isEqualTo("RFC822");
        assertThat(reported.get("subject").asText()).isEqualTo("Invoice overdue");
        assertThat(reported.at("/from/address").asText()).isEqualTo("billing@evil.example");
        JsonNode incident = get("/api/v1/orgs/default/incidents/"
                        + message.get("incidentId").asLong())
                .json();
        assertThat(incident.get("artifacts").findValuesAsText("value"))
                .contains("http://evil.example/pay", "evil.example", "billing@evil.example", "203.0.113.7");
    }

    @Test
    void theOrganizationsAllowListKeepsItsOwnDomainsAndRangesOut() {
        Reply bad = call(
                HttpMethod.PUT,
                "/api/v1/orgs/default/artifact-allow-list",
                admin(),
                Map.of("domains", List.of(), "cidrRanges", List.of("10.0.0.0/99")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").findValuesAsText("field")).contains("cidrRanges");

        Reply put = call(
                HttpMethod.PUT,
                "/api/v1/orgs/default/artifact-allow-list",
                admin(),
                Map.of("domains", List.of("ourco.example"), "cidrRanges", List.of("10.0.0.0/8")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        try {
            Mailbox mailbox = mailbox();
            String connection = createImapConnection(mailbox);
            deliver(mailbox, report(newMessageId(), "ourco.example"));
            JsonNode message = awaitMessages(connection, 1).get(0);
            List<String> values = get("/api/v1/orgs/default/incidents/"
                            + message.get("incidentId").asLong())
                    .json()
                    .get("artifacts")
                    .findValuesAsText("value");
            assertThat(values)
                    .contains("http://evil.example/pay")
                    .doesNotContain("ourco.example", "http://intranet.ourco.example/report", "10.1.2.3");
        } finally {
            call(
                    HttpMethod.PUT,
                    "/api/v1/orgs/default/artifact-allow-list",
                    admin(),
                    Map.of("domains", List.of(), "cidrRanges", List.of()));
        }
    }
}

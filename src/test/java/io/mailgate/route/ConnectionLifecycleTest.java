package io.mailgate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/** Connections change, stop and go without a restart; their secrets never leave in clear. */
class ConnectionLifecycleTest extends IngestTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aWrongPasswordFailsAndFixingItTakesEffectWithoutARestart() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("fix"), mailbox, "wrong-password");
        String connection = createConnection(request);
        deliver(mailbox, message(newMessageId(), "Waiting for the right password", "x"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(connection);
            assertThat(status.get("state").asText()).isEqualTo("FAILING");
            assertThat(status.get("lastErrorCode").asText()).isEqualTo("AUTH_FAILED");
        });
        assertThat(seen(mailbox)).isZero();

        @SuppressWarnings("unchecked")
        Map<String, Object> imap = (Map<String, Object>) request.get("imap");
        imap.put("password", mailbox.password());
        Reply put = call(HttpMethod.PUT, "/api/v1/orgs/default/connections/" + connection, admin(), request);
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        awaitMessages(connection, 1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(status(connection).get("state").asText()).isEqualTo("RUNNING"));
    }

    @Test
    void aDisabledConnectionStopsAndReenablingResumes() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("toggle"), mailbox, mailbox.password());
        request.put("enabled", false);
        String connection = createConnection(request);
        deliver(mailbox, message(newMessageId(), "Held while disabled", "x"));

        JsonNode status = status(connection);
        assertThat(status.get("state").asText()).isEqualTo("STOPPED");
        assertThat(status.get("reason").asText()).contains("disabled");
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(18))
                .untilAsserted(() -> assertThat(seen(mailbox)).isZero());

        request.put("enabled", true);
        request.remove("imap");
        request.put(
                "imap",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        MAIL.getImap().getPort(),
                        "emailAddress",
                        mailbox.address(),
                        "encryption",
                        "NONE"));
        // The password is omitted: PUT keeps the stored one.
        Reply put = call(HttpMethod.PUT, "/api/v1/orgs/default/connections/" + connection, admin(), request);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().at("/imap/passwordSet").asBoolean()).isTrue();
        awaitMessages(connection, 1);
    }

    @Test
    void deletingAConnectionStopsItsRoute() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Before delete", "x"));
        awaitMessages(connection, 1);

        Reply deleted = call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + connection, admin(), null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(get("/api/v1/orgs/default/connections/" + connection).status())
                .isEqualTo(404);
        deliver(mailbox, message(newMessageId(), "After delete", "x"));
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(18))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
    }

    @Test
    void secretsAreNeitherInResponsesNorInClearInTheDatabase() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);

        Reply one = get("/api/v1/orgs/default/connections/" + connection);
        Reply list = get("/api/v1/orgs/default/connections");
        assertThat(one.body()).doesNotContain(mailbox.password());
        assertThat(list.body()).doesNotContain(mailbox.password());
        assertThat(one.json().at("/imap/passwordSet").asBoolean()).isTrue();
        assertThat(one.json().at("/imap/password").isMissingNode()).isTrue();

        List<String> everything = jdbc.queryForList(
                "SELECT settings FROM connections UNION ALL SELECT ciphertext FROM connection_secrets", String.class);
        assertThat(everything).isNotEmpty().noneMatch(value -> value.contains(mailbox.password()));
        assertThat(jdbc.queryForList("SELECT ciphertext FROM connection_secrets", String.class))
                .allMatch(value -> value.startsWith("v1:"));
    }

    @Test
    void invalidConnectionsAreRefusedNamingEveryBadField() {
        Map<String, Object> request = Map.of(
                "apiName",
                "Bad Name",
                "name",
                "x",
                "protocol",
                "IMAP",
                "imap",
                Map.of("host", "imap.example.com", "port", 70000, "emailAddress", "soc@example.com"),
                "polling",
                Map.of("intervalSeconds", 0));
        Reply reply = call(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), request);
        assertThat(reply.status()).isEqualTo(400);
        // all at once, in the request's order, once each
        assertThat(reply.json().get("errors").findValuesAsText("field"))
                .containsExactly("apiName", "imap.port", "imap.password", "polling.intervalSeconds");

        Reply exchange = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        "ews_bad",
                        "name",
                        "x",
                        "protocol",
                        "EXCHANGE",
                        "exchange",
                        Map.of(
                                "endpoint",
                                "http://mail.example.com",
                                "emailAddress",
                                "primary\\not-an-address",
                                "password",
                                "p")));
        assertThat(exchange.status()).isEqualTo(400);
        assertThat(exchange.json().get("errors").findValuesAsText("field"))
                .contains("exchange.endpoint", "exchange.emailAddress");

        Reply notJson = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                "{\"apiName\":\"x_y\",\"protocol\":\"IMAP\",\"imap\":{\"port\":\"abc\"}}");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body())
                .contains("imap.port")
                .doesNotContain("at com.")
                .doesNotContain("Exception");

        Reply badEnum = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                "{\"apiName\":\"x_y\",\"protocol\":\"POP3\"}");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.body()).contains("protocol");
    }

    @Test
    void anExchangeConnectionWithAProxyIsStoredWithoutItsSecretsAndReportsWhyItFails() {
        Reply created = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        unique("ews"),
                        "name",
                        "On-prem Exchange",
                        "protocol",
                        "EXCHANGE",
                        "exchange",
                        Map.of(
                                "endpoint",
                                "https://mail.example.com/EWS/Exchange.asmx",
                                "emailAddress",
                                "primary@example.com\\shared@example.com",
                                "password",
                                "ews-secret-1"),
                        "proxy",
                        Map.of(
                                "protocol",
                                "HTTPS",
                                "host",
                                "proxy.example.com",
                                "port",
                                3128,
                                "username",
                                "u",
                                "password",
                                "proxy-secret-1")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("ews-secret-1").doesNotContain("proxy-secret-1");
        assertThat(created.json().at("/exchange/sourceFolder").asText()).isEqualTo("Inbox");
        assertThat(created.json().at("/proxy/passwordSet").asBoolean()).isTrue();
        String apiName = created.json().get("apiName").asText();
        // Its route runs, and says why it cannot reach the proxy (no such host here).
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.get("state").asText()).isEqualTo("FAILING");
            assertThat(status.get("lastErrorCode").asText())
                    .isIn("UNKNOWN_HOST", "PROXY_FAILED", "CONNECTION_REFUSED", "TIMEOUT");
        });
    }
}

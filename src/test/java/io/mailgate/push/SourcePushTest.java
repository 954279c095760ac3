package io.mailgate.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.component.ews.EwsSimulator;
import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.testing.ChildMailgate;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Push for the Microsoft sources end to end. Graph change notifications: the real application on a fixed port that is its public URL, the Entra ID
 * and Graph simulators; Graph validates the notification URL, posts a notification when a message arrives, and
 * mailgate reads the folder at once (polling is hourly here, so only the notification can explain a quick incident).
 * Exchange: streaming notifications against the EWS simulator, and the status saying PUSH.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mailgate-graphpush;DB_CLOSE_DELAY=-1",
            "mailgate.admin-password=" + SourcePushTest.ADMIN_PASSWORD,
            "MAILGATE_MASTER_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "mailgate.ingest.spool-directory=target/test-spool",
            // the simulator posts to this machine over HTTP; Microsoft would need an HTTPS address it can reach
            "mailgate.push.allow-local-url=true",
        })
class SourcePushTest {

    static final String ADMIN_PASSWORD = "Graph-push-admin-password-1";
    static final int PORT = ChildMailgate.freePort();
    static final EntraSimulator ENTRA = new EntraSimulator();
    static final GraphSimulator GRAPH = new GraphSimulator();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    ObjectMapper json;

    @DynamicPropertySource
    static void microsoft(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("mailgate.oauth.public-url", () -> "http://localhost:" + PORT);
        registry.add("mailgate.oauth.authority-override", () -> ENTRA.baseUrl().toString());
        registry.add("mailgate.oauth.graph-override", GRAPH::baseUrl);
    }

    @AfterAll
    static void stopSimulators() {
        GRAPH.close();
    }

    @BeforeEach
    void graphTrustsEntraTokens() {
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GRAPH.allowHttpNotificationUrls();
        GRAPH.subscriberUnreachable(false);
        GRAPH.sendNotifications();
    }

    record Reply(int status, String body, String contentType) {}

    private Reply call(String method, String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    private static String admin() {
        return "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode api(String method, String path, Object body) throws Exception {
        Reply reply =
                call(method, path, admin(), "application/json", body == null ? null : json.writeValueAsString(body));
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return reply.body().isBlank() ? null : json.readTree(reply.body());
    }

    private String create(String address, boolean push) throws Exception {
        String apiName = "push_" + UUID.randomUUID().toString().substring(0, 8);
        api(
                "POST",
                "/api/v1/orgs/default/connections",
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Push " + apiName,
                        "protocol",
                        "OAUTH",
                        "oauth",
                        Map.of(
                                "clientId",
                                EntraSimulator.CLIENT_ID,
                                "tenantId",
                                EntraSimulator.TENANT,
                                "clientSecret",
                                EntraSimulator.SECRET,
                                "emailAddress",
                                address,
                                "appOnly",
                                true),
                        "polling",
                        Map.of("intervalSeconds", 3600, "push", push)));
        return apiName;
    }

    private JsonNode status(String apiName) throws Exception {
        return api("GET", "/api/v1/orgs/default/connections/" + apiName + "/status", null);
    }

    private List<String> subjects(String apiName) throws Exception {
        List<String> subjects = new ArrayList<>();
        api("GET", "/api/v1/orgs/default/email-messages?limit=500&connection=" + apiName, null)
                .get("items")
                .forEach(m -> subjects.add(m.get("subject").asText()));
        return subjects;
    }

    @Test
    void theValidationHandshakeEchoesTheTokenAsTextWithoutSignIn() throws Exception {
        String token = "Validation: Testing client application reachability for subscription Request-Id: 1 <b>&</b>";
        for (String path : List.of("/graph/notifications", "/graph/lifecycle")) {
            Reply reply = call(
                    "POST",
                    path + "?validationToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
                    null,
                    "text/plain",
                    null);
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).startsWith("text/plain");
            assertThat(reply.body()).isEqualTo(token);
        }
        // not JSON, not a notification: 400, never a 500 nor a sign-in page
        assertThat(call("POST", "/graph/notifications", null, "application/json", "{not json")
                        .status())
                .isEqualTo(400);
        assertThat(call(
                                "POST",
                                "/graph/notifications",
                                null,
                                "application/json",
                                "{\"value\":[{\"subscriptionId\":\"nope\"," + "\"clientState\":\"x\"}]}")
                        .status())
                .isEqualTo(202);
        // the other paths still need a sign-in
        assertThat(call("POST", "/graph/other", null, "application/json", "{}").status())
                .isIn(401, 403);
    }

    @Test
    void aNotificationReadsTheFolderAtOnceAndAWrongClientStateDoesNothing() throws Exception {
        String address = "push-" + UUID.randomUUID().toString().substring(0, 6) + "@contoso.example";
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        GraphSimulator.Folder inbox = mailbox.wellKnown("inbox");
        mailbox.add(inbox, "before", Instant.now());
        String apiName = create(address, true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.path("mode").asText()).as(status.toString()).isEqualTo("PUSH");
            assertThat(subjects(apiName)).containsExactly("before");
        });
        GraphSimulator.Subscription subscription = GRAPH.subscriptions().values().stream()
                .filter(s -> s.notificationUrl.endsWith("/graph/notifications") && s.clientState != null)
                .filter(s -> GRAPH.subscriptionLog().contains("POST " + s.id))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(subscription.lifecycleNotificationUrl).isEqualTo("http://localhost:" + PORT + "/graph/lifecycle");
        assertThat(subscription.expiration).isBefore(Instant.now().plus(Duration.ofMinutes(4230)));
        assertThat(subscription.clientState).hasSizeGreaterThanOrEqualTo(32);

        // a notification is all it takes (the next poll is an hour away)
        long sent = System.nanoTime();
        GraphSimulator.Message arrived = mailbox.add(inbox, "arrived", Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> arrived.read);
        assertThat(subjects(apiName)).containsExactly("before", "arrived");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
        assertThat(GRAPH.notificationAnswers()).isNotEmpty().allMatch(s -> s == 202);

        // a forged notification (the right subscription id, a wrong clientState) is answered 202 and does nothing
        GRAPH.holdNotifications();
        GraphSimulator.Message quiet = mailbox.add(inbox, "quiet", Instant.now());
        String forged = "{\"value\":[{\"subscriptionId\":\"" + subscription.id + "\",\"clientState\":\"guess\","
                + "\"changeType\":\"created\",\"resource\":\"Users/x/Messages/y\"}]}";
        assertThat(call("POST", "/graph/notifications", null, "application/json", forged)
                        .status())
                .isEqualTo(202);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> !quiet.read);

        // lifecycle: missed → a delta round
        assertThat(GRAPH.sendLifecycle(subscription.id, "missed")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> quiet.read);
        GRAPH.sendNotifications();

        // reauthorizationRequired → renewed (PATCH)
        assertThat(GRAPH.sendLifecycle(subscription.id, "reauthorizationRequired"))
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GRAPH.subscriptionLog().contains("PATCH " + subscription.id));

        // subscriptionRemoved → a new subscription, which notifies again
        assertThat(GRAPH.sendLifecycle(subscription.id, "subscriptionRemoved")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GRAPH.subscriptions().values().stream()
                        .anyMatch(s ->
                                !s.id.equals(subscription.id) && s.notificationUrl.endsWith("/graph/notifications")));
        GraphSimulator.Message again = mailbox.add(inbox, "again", Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() -> again.read);

        // the connection is deleted: its subscription is deleted
        int before = (int) GRAPH.subscriptionLog().stream()
                .filter(l -> l.startsWith("DELETE "))
                .count();
        api("DELETE", "/api/v1/orgs/default/connections/" + apiName, null);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> GRAPH.subscriptionLog().stream()
                                .filter(l -> l.startsWith("DELETE "))
                                .count()
                        > before);
    }

    @Test
    void whenGraphCannotReachMailgateTheConnectionPollsAndSaysWhy() throws Exception {
        GRAPH.subscriberUnreachable(true);
        String address = "unreachable-" + UUID.randomUUID().toString().substring(0, 6) + "@contoso.example";
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        mailbox.add(mailbox.wellKnown("inbox"), "polled", Instant.now());
        String apiName = create(address, true);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.path("mode").asText()).as(status.toString()).isEqualTo("POLL");
            assertThat(status.path("modeReason").asText())
                    .contains("validation")
                    .contains("polling every 3600 s");
            assertThat(status.path("state").asText()).isEqualTo("RUNNING");
            assertThat(subjects(apiName)).containsExactly("polled");
        });
    }

    @Test
    void anExchangeConnectionIsPushedToByStreamingNotificationsAndItsStatusSaysSo() throws Exception {
        String user = "ews-push@example.com";
        String password = "Ews-push-password-1";
        try (EwsSimulator exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(user, password)) {
            String apiName = "ews_" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode created = api(
                    "POST",
                    "/api/v1/orgs/default/connections?test=true",
                    Map.of(
                            "apiName",
                            apiName,
                            "name",
                            "Exchange push",
                            "protocol",
                            "EXCHANGE",
                            "exchange",
                            Map.of("endpoint", exchange.url(), "emailAddress", user, "password", password),
                            "polling",
                            Map.of("intervalSeconds", 3600)));
            String sha256 = created.get("test")
                    .get("serverCertificates")
                    .get(0)
                    .get("sha256")
                    .asText();
            api(
                    "POST",
                    "/api/v1/orgs/default/connections/" + apiName + "/trusted-certificates",
                    Map.of("sha256", sha256));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = status(apiName);
                assertThat(status.path("mode").asText()).as(status.toString()).isEqualTo("PUSH");
                assertThat(status.path("state").asText()).isEqualTo("RUNNING");
            });
            // the next poll is an hour away: only the stream's NewMailEvent can explain this
            EwsSimulator.Item arrived = exchange.message(
                    user,
                    "inbox",
                    "From: reporter@example.com\r\n"
                            + "To: soc@example.com\r\nSubject: streamed to mailgate\r\nMessage-ID: <" + apiName
                            + "@example.com>\r\n\r\nBody\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> arrived.read);
            assertThat(subjects(apiName)).containsExactly("streamed to mailgate");
            api("DELETE", "/api/v1/orgs/default/connections/" + apiName, null);
        }
    }

    @Test
    void withPushOffTheRoutePollsAndSaysSo() throws Exception {
        String address = "off-" + UUID.randomUUID().toString().substring(0, 6) + "@contoso.example";
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        mailbox.add(mailbox.wellKnown("inbox"), "polled", Instant.now());
        int subscriptions = GRAPH.subscriptionLog().size();
        String apiName = create(address, false);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.path("mode").asText()).as(status.toString()).isEqualTo("POLL");
            assertThat(status.path("modeReason").asText()).isEqualTo("push is off");
            assertThat(subjects(apiName)).containsExactly("polled");
        });
        assertThat(GRAPH.subscriptionLog()).hasSize(subscriptions);
    }
}

package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.testing.ChildMailgate;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real application on a free port chosen up front (so the OAuth redirect URI, which must be known before
 * start, points back at it), in-memory H2, one real IMAP server (GreenMail), the Entra ID and Graph simulators
 * (they cannot run here), and one headless Chromium per test class. Data a page test needs but does not test (users, organizations, a connection
 * whose incidents a page shows) is made through the public API; what a test is about is done in the page.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mailgate-web;DB_CLOSE_DELAY=-1",
            "mailgate.admin-password=" + WebTestSupport.ADMIN_PASSWORD,
            "MAILGATE_MASTER_KEY=" + WebTestSupport.MASTER_KEY,
            "mailgate.ingest.spool-directory=target/test-spool-web",
            "mailgate.routes.timeout=5s",
        })
abstract class WebTestSupport {

    static final String ADMIN_PASSWORD = "Web-admin-password-1";
    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final GreenMail MAIL = startMailServer();
    static final int PORT = ChildMailgate.freePort();
    static final EntraSimulator ENTRA = new EntraSimulator();
    static final GraphSimulator GRAPH = new GraphSimulator();

    static {
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null); // Graph takes what Entra issued
    }

    @DynamicPropertySource
    static void serverAndMicrosoft(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("mailgate.oauth.public-url", () -> "http://127.0.0.1:" + PORT);
        registry.add("mailgate.oauth.authority-override", () -> ENTRA.baseUrl().toString());
        registry.add("mailgate.oauth.graph-override", GRAPH::baseUrl);
    }

    private static final AtomicInteger NAMES = new AtomicInteger();

    static Browser browser;

    @LocalServerPort
    int port;

    @Autowired
    TestRestTemplate http;

    @Autowired
    ObjectMapper json;

    @BeforeEach
    void openBrowser() {
        if (browser == null) {
            browser = new Browser("http://127.0.0.1:" + port);
        }
        browser.signOut();
        browser.consoleErrors(); // what the previous test left in the console is not this test's
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private static GreenMail startMailServer() {
        GreenMail mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    /** A fresh name: api names, users, organizations and mailboxes differ per test. */
    static String unique(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    /** A mailbox on the IMAP server with its own user; the address is also its login. */
    record Mailbox(String address, String password) {}

    static Mailbox mailbox() {
        String address = unique("soc") + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        MAIL.setUser(address, address, password);
        return new Mailbox(address, password);
    }

    /** Delivers a message (RFC 5322 text) into a mailbox, unread. */
    static void deliver(Mailbox mailbox, String rfc822) {
        try {
            var session = Session.getInstance(new Properties());
            var message = new MimeMessage(session, new ByteArrayInputStream(rfc822.getBytes(StandardCharsets.UTF_8)));
            MAIL.getUserManager().getUser(mailbox.address()).deliver(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode api(HttpMethod method, String path, String authorization, Object body, int expectedStatus) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        try {
            String payload = body == null ? null : json.writeValueAsString(body);
            ResponseEntity<String> response =
                    http.exchange(path, method, new HttpEntity<>(payload, headers), String.class);
            assertThat(response.getStatusCode().value())
                    .as("%s %s: %s", method, path, response.getBody())
                    .isEqualTo(expectedStatus);
            return response.getBody() == null || response.getBody().isBlank()
                    ? null
                    : json.readTree(response.getBody());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new organization with a new user who is ADMIN (or the given role) in it; returns the handle. */
    String organizationWithUser(String username, String password, String role) {
        String handle = unique("org").replace('_', '-').toLowerCase();
        api(HttpMethod.POST, "/api/v1/orgs", admin(), Map.of("handle", handle, "name", "Org " + handle), 201);
        api(
                HttpMethod.POST,
                "/api/v1/orgs/" + handle + "/members",
                admin(),
                Map.of("username", username, "password", password, "role", role),
                201);
        return handle;
    }

    /** An enabled IMAP connection (no TLS, 1 s polling) to a GreenMail mailbox, made through the API. */
    String imapConnectionViaApi(String org, Mailbox mailbox) {
        String apiName = unique("mbx");
        api(
                HttpMethod.POST,
                "/api/v1/orgs/" + org + "/connections",
                admin(),
                imapConnectionRequest(mailbox, apiName),
                201);
        return apiName;
    }

    /** The API request for such a connection, for a test that changes something before sending it. */
    static Map<String, Object> imapConnectionRequest(Mailbox mailbox, String apiName) {
        Map<String, Object> imap = new LinkedHashMap<>();
        imap.put("host", "127.0.0.1");
        imap.put("port", MAIL.getImap().getPort());
        imap.put("emailAddress", mailbox.address());
        imap.put("password", mailbox.password());
        imap.put("encryption", "NONE");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("apiName", apiName);
        request.put("name", "Mailbox " + apiName);
        request.put("protocol", "IMAP");
        request.put("imap", imap);
        request.put("polling", Map.of("intervalSeconds", 1));
        return request;
    }

    /** Waits until the organization has an incident whose title contains the text; returns its JSON. */
    JsonNode awaitIncident(String org, String titleContains) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    JsonNode page =
                            api(HttpMethod.GET, "/api/v1/orgs/" + org + "/incidents?limit=500", admin(), null, 200);
                    for (JsonNode incident : page.path("items")) {
                        if (incident.path("title").asText().contains(titleContains)) {
                            found[0] = incident;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    /** The page loaded without an error in the browser's console (refused resources, policy violations, scripts). */
    void assertNoConsoleErrors() {
        assertThat(browser.consoleErrors())
                .as("console errors on %s", browser.path())
                .isEmpty();
    }
}

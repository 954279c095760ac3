package io.mailgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.oauth.EntraSimulator;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real application on a random port with an in-memory H2 database, and one real IMAP server (GreenMail)
 * for the whole test JVM. Each test uses its own mailbox and connection, so tests share nothing but the
 * servers. H2's lock timeout is short so that a test can make storing fail by holding a lock.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mailgate-ingest;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=2000",
            "mailgate.admin-password=" + IngestTestSupport.ADMIN_PASSWORD,
            "MAILGATE_MASTER_KEY=" + IngestTestSupport.MASTER_KEY,
            "mailgate.ingest.spool-directory=target/test-spool",
            "mailgate.routes.timeout=5s",
            // operations (issue 8): the test's own external routes, quick credential checks, a forwarder to SOAR below
            "mailgate.external-routes.directory=src/test/resources/external-routes",
            "mailgate.ops.check-interval=500ms",
            "mailgate.ops.max-silence=4s",
            "mailgate.ops.expiry-warning-days=50000",
            "mailgate.outbox.forwarders.soar.hmac-secret=" + IngestTestSupport.SOAR_HMAC_SECRET,
            "mailgate.outbox.forwarders.soar.poll-interval=200ms",
            "mailgate.outbox.forwarders.soar.redelivery-delay=50ms",
            "mailgate.outbox.forwarders.soar.maximum-redeliveries=5",
        })
public abstract class IngestTestSupport {

    public static final String ADMIN_PASSWORD = "Ingest-admin-password-1";
    public static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    public static final GreenMail MAIL = startMailServer();
    /** Microsoft Entra ID and Graph cannot run here: faithful simulators stand in, for the whole JVM. */
    public static final EntraSimulator ENTRA = new EntraSimulator();

    public static final GraphSimulator GRAPH = new GraphSimulator();

    @DynamicPropertySource
    public static void microsoftSimulators(DynamicPropertyRegistry registry) {
        registry.add("mailgate.oauth.authority-override", () -> ENTRA.baseUrl().toString());
        registry.add("mailgate.oauth.graph-override", GRAPH::baseUrl);
    }

    public static final String SOAR_HMAC_SECRET = "soar-hmac-secret-for-tests";
    /** A SOAR's webhook receiver: accepts every incident the outbox forwards, unless a test stubs otherwise. */
    public static final WireMockServer SOAR = startSoar();

    private static final AtomicInteger NAMES = new AtomicInteger();

    @Autowired
    protected TestRestTemplate http;

    @Autowired
    protected ObjectMapper json;

    @DynamicPropertySource
    public static void soarWebhook(DynamicPropertyRegistry registry) {
        registry.add("mailgate.outbox.forwarders.soar.uri", () -> "http://127.0.0.1:" + SOAR.port() + "/hook");
    }

    private static WireMockServer startSoar() {
        WireMockServer soar = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        soar.start();
        soar.stubFor(WireMock.post(WireMock.urlEqualTo("/hook"))
                .atPriority(10)
                .willReturn(WireMock.aResponse().withStatus(200)));
        Runtime.getRuntime().addShutdownHook(new Thread(soar::stop));
        return soar;
    }

    private static GreenMail startMailServer() {
        GreenMail mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    public record Reply(int status, String body, JsonNode json) {}

    /** A fresh name: connection api names and mailbox users differ per test. */
    public static String unique(String prefix) {
        return prefix + "_" + NAMES.incrementAndGet() + "_"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    public static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public Reply call(HttpMethod method, String path, String authorization, Object body) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, authorization);
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setAccept(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON));
        String payload;
        try {
            payload = body == null ? null : body instanceof String s ? s : json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ResponseEntity<String> response = http.exchange(path, method, new HttpEntity<>(payload, headers), String.class);
        JsonNode node = null;
        try {
            node = response.getBody() == null || response.getBody().isBlank()
                    ? null
                    : json.readTree(response.getBody());
        } catch (Exception notJson) {
            // raw downloads
        }
        return new Reply(response.getStatusCode().value(), response.getBody(), node);
    }

    public Reply get(String path) {
        return call(HttpMethod.GET, path, admin(), null);
    }

    public byte[] download(String path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        ResponseEntity<byte[]> response = http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), byte[].class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return response.getBody();
    }

    /** A mailbox on the IMAP server, with its own user. */
    public record Mailbox(String address, String password, GreenMailUser user) {}

    public static Mailbox mailbox() {
        String name = unique("soc");
        String address = name + "@example.test";
        String password = "pw-" + UUID.randomUUID();
        return new Mailbox(address, password, MAIL.setUser(address, address, password));
    }

    /** An IMAP connection request for the mailbox, polling every second. */
    public Map<String, Object> imapConnection(String apiName, Mailbox mailbox, String password) {
        Map<String, Object> imap = new LinkedHashMap<>();
        imap.put("host", "127.0.0.1");
        imap.put("port", MAIL.getImap().getPort());
        imap.put("emailAddress", mailbox.address());
        imap.put("password", password);
        imap.put("encryption", "NONE");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("apiName", apiName);
        request.put("name", "Test " + apiName);
        request.put("protocol", "IMAP");
        request.put("imap", imap);
        request.put("polling", Map.of("intervalSeconds", 1));
        return request;
    }

    public String createConnection(Map<String, Object> request) {
        Reply reply = call(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), request);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return (String) request.get("apiName");
    }

    public String createImapConnection(Mailbox mailbox) {
        return createConnection(imapConnection(unique("conn"), mailbox, mailbox.password()));
    }

    public static void deliver(Mailbox mailbox, String raw) {
        try {
            MimeMessage message = new MimeMessage(
                    Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            mailbox.user().deliver(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<StoredMessage> inbox(Mailbox mailbox) {
        try {
            MailFolder inbox = MAIL.getManagers().getImapHostManager().getInbox(mailbox.user());
            return new ArrayList<>(inbox.getMessages());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static long seen(Mailbox mailbox) {
        return inbox(mailbox).stream()
                .filter(m -> m.getFlags().contains(Flags.Flag.SEEN))
                .count();
    }

    /** The messages ingested through a connection, waiting until there are {@code count}. */
    public List<JsonNode> awaitMessages(String connection, int count) {
        List<JsonNode> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            found.clear();
            found.addAll(messages(connection));
            assertThat(found).hasSize(count);
        });
        return found;
    }

    public List<JsonNode> messages(String connection) {
        List<JsonNode> all = new ArrayList<>();
        String after = "0";
        while (true) {
            Reply page =
                    get("/api/v1/orgs/default/email-messages?limit=500&connection=" + connection + "&after=" + after);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            page.json().get("items").forEach(all::add);
            if (page.json().get("items").isEmpty()) {
                return all;
            }
            after = page.json().get("nextCursor").asText();
        }
    }

    public JsonNode status(String connection) {
        return get("/api/v1/orgs/default/connections/" + connection + "/status").json();
    }

    public static String message(String messageId, String subject, String body, String... extraHeaders) {
        StringBuilder raw = new StringBuilder();
        raw.append("From: Reporter <reporter@example.org>\r\n");
        raw.append("To: soc@example.test\r\n");
        raw.append("Subject: ").append(subject).append("\r\n");
        if (messageId != null) {
            raw.append("Message-ID: ").append(messageId).append("\r\n");
        }
        raw.append("Date: Fri, 27 Nov 2026 10:15:30 +0000\r\n");
        for (String header : extraHeaders) {
            raw.append(header).append("\r\n");
        }
        raw.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n");
        raw.append(body).append("\r\n");
        return raw.toString();
    }

    /** MIME nested 200 levels deep: more than the parser's depth limit. */
    public static String nestingBomb() {
        StringBuilder bomb = new StringBuilder("From: a@example.org\r\nSubject: nesting bomb\r\nMIME-Version: 1.0\r\n"
                + "Message-ID: <bomb-1@example.org>\r\nDate: Fri, 27 Nov 2026 10:15:00 +0000\r\n");
        for (int i = 0; i < 200; i++) {
            bomb.append("Content-Type: multipart/mixed; boundary=\"b")
                    .append(i)
                    .append("\"\r\n\r\n--b")
                    .append(i)
                    .append("\r\n");
        }
        return bomb.append("Content-Type: text/plain\r\n\r\nhi\r\n").toString();
    }

    public static String newMessageId() {
        return "<" + UUID.randomUUID() + "@example.org>";
    }
}

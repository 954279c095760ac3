package io.mailgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.LinkedMultiValueMap;

/** What operators see: metrics, health, the email log, credential warnings; and an external route tagging incidents. */
class OpsIngestTest extends IngestTestSupport {

    @Autowired
    JdbcTemplate jdbc;

    String prometheus() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        ResponseEntity<String> response =
                http.exchange("/actuator/prometheus", HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return response.getBody();
    }

    /** The sum of the samples of a metric whose labels include all the given ones. */
    static double metric(String scrape, String name, String... labels) {
        double sum = 0;
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(scrape);
        while (m.find()) {
            String found = m.group(1);
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= found.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    @Test
    void metricsCountAKnownRun() {
        Mailbox mailbox = mailbox();
        String first = message(newMessageId(), "Metrics one", "one");
        deliver(mailbox, first);
        deliver(mailbox, first);
        deliver(mailbox, message(newMessageId(), "Metrics two", "two"));
        deliver(mailbox, nestingBomb());
        String connection = createImapConnection(mailbox);
        String tag = "default/" + connection;

        awaitMessages(connection, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String scrape = prometheus();
            assertThat(metric(scrape, "mailgate_messages_polled_total", "connection", tag))
                    .isEqualTo(4);
            assertThat(metric(scrape, "mailgate_messages_ingested_total", "connection", tag))
                    .isEqualTo(2);
            assertThat(metric(scrape, "mailgate_messages_duplicates_total", "connection", tag))
                    .isEqualTo(1);
            assertThat(metric(scrape, "mailgate_messages_quarantined_total", "connection", tag))
                    .isEqualTo(1);
            assertThat(metric(scrape, "mailgate_message_lag_seconds_count", "connection", tag))
                    .isEqualTo(2);
            assertThat(metric(scrape, "mailgate_polls_total", "connection", tag, "outcome", "success"))
                    .isPositive();
            assertThat(metric(scrape, "mailgate_poll_duration_seconds_count", "connection", tag))
                    .isPositive();
            assertThat(metric(scrape, "mailgate_failures_total", "connection", tag))
                    .isZero();
        });
        assertThat(prometheus())
                .containsPattern("mailgate_messages_quarantined_total\\{[^}]*code=\"[A-Z_]+\"[^}]*connection=\""
                        + Pattern.quote(tag));
    }

    @Test
    void healthHasOneEntryPerConnectionAndAFailingMailboxDegradesMailgate() {
        Mailbox good = mailbox();
        String healthy = createImapConnection(good);
        Mailbox other = mailbox();
        String failing = createConnection(imapConnection(unique("bad"), other, "wrong-password"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Reply health = get("/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("DEGRADED");
            JsonNode connections = health.json().at("/components/connections/components/default/components");
            assertThat(connections.at("/" + healthy + "/status").asText()).isEqualTo("UP");
            assertThat(connections.at("/" + healthy + "/details/state").asText())
                    .isEqualTo("RUNNING");
            assertThat(connections.at("/" + failing + "/status").asText()).isEqualTo("DEGRADED");
            assertThat(connections.at("/" + failing + "/details/state").asText())
                    .isEqualTo("FAILING");
            assertThat(connections.at("/" + failing + "/details/lastErrorCode").asText())
                    .isEqualTo("AUTH_FAILED");
        });
        Reply one = get("/actuator/health/connections/default/" + healthy);
        assertThat(one.json().get("status").asText()).isEqualTo("UP");
        ResponseEntity<String> anonymous = http.getForEntity("/actuator/health", String.class);
        assertThat(anonymous.getStatusCode().value()).isEqualTo(200);
        assertThat(anonymous.getBody())
                .contains("DEGRADED")
                .doesNotContain(failing)
                .doesNotContain("components");
    }

    @Test
    void theEmailLogHasALinePerPollMessageAndErrorAndNoSecretEvenAtDebug() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> everything = new ListAppender<>();
        everything.start();
        root.addAppender(everything);
        root.setLevel(Level.DEBUG);
        Mailbox mailbox = mailbox();
        Mailbox wrong = mailbox();
        String connection;
        String failing;
        String messageId = newMessageId();
        try {
            deliver(mailbox, message(messageId, "Logged message", "the body is not logged: body-marker-5521"));
            deliver(mailbox, nestingBomb());
            connection = createImapConnection(mailbox);
            failing = createConnection(imapConnection(unique("bad"), wrong, "wrong-" + wrong.password()));
            awaitMessages(connection, 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> lines = emailLines(everything, failing);
                assertThat(lines).anyMatch(l -> l.contains("poll=FAILED code=AUTH_FAILED"));
                // and once, when it starts failing, the change of state, named the same way
                assertThat(lines).anyMatch(l -> l.contains("state=FAILING code=AUTH_FAILED"));
            });
        } finally {
            root.setLevel(before);
            root.detachAppender(everything);
        }
        List<String> lines = emailLines(everything, connection);
        assertThat(lines).anyMatch(l -> l.contains("poll=OK messages=2"));
        assertThat(lines)
                .anyMatch(l -> l.contains("messageId=" + messageId)
                        && l.contains("decision=STORED")
                        && l.contains("incident="));
        assertThat(lines).anyMatch(l -> l.contains("decision=QUARANTINED"));
        // every line written while the message was handled names its connection in the MDC, whoever wrote it
        List<ILoggingEvent> stored = List.copyOf(everything.list).stream()
                .filter(e -> e.getFormattedMessage().contains("messageId=" + messageId)
                        && e.getFormattedMessage().contains("decision=STORED"))
                .toList();
        assertThat(stored)
                .isNotEmpty()
                .allMatch(e ->
                        ("default/" + connection).equals(e.getMDCPropertyMap().get("connection")));
        String tagged = "default/" + connection;
        assertThat(List.copyOf(everything.list).stream()
                        .filter(e -> tagged.equals(e.getMDCPropertyMap().get("connection")))
                        .map(ILoggingEvent::getLoggerName)
                        .distinct()
                        .count())
                .as("loggers with the connection in the MDC")
                .isGreaterThan(2);
        List<String> all = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(everything.list)) {
            if (TEST_SIDE.stream().anyMatch(event.getLoggerName()::startsWith)) {
                continue;
            }
            all.add(event.getLoggerName() + ": " + event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                all.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(all).hasSizeGreaterThan(100);
        String plain = Base64.getEncoder()
                .encodeToString(
                        ("\0" + mailbox.address() + "\0" + mailbox.password()).getBytes(StandardCharsets.UTF_8));
        List<String> leaks = all.stream()
                .filter(l -> l.contains(mailbox.password())
                        || l.contains(wrong.password())
                        || l.contains(plain)
                        || l.contains(MASTER_KEY)
                        || l.contains(SOAR_HMAC_SECRET)
                        || l.contains(ADMIN_PASSWORD))
                .toList();
        assertThat(leaks).isEmpty();
        assertThat(emailLines(everything, null)).noneMatch(l -> l.contains("body-marker-5521"));
    }

    /** Loggers of the test's own side: the IMAP server and the HTTP client that sends the passwords. */
    static final List<String> TEST_SIDE = List.of(
            "com.icegreen.greenmail",
            "org.apache.hc.client5.http",
            "org.springframework.web.client",
            "org.springframework.boot.test",
            "wiremock",
            "WireMock");

    static List<String> emailLines(ListAppender<ILoggingEvent> appender, String connection) {
        return List.copyOf(appender.list).stream()
                .filter(e -> e.getLoggerName().equals("mailgate.email"))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(l -> connection == null || l.contains("connection=default/" + connection + " "))
                .toList();
    }

    @Test
    void aConnectionWithoutSuccessfulPollsOrWithAnExpiringKeyShowsWarnings() throws Exception {
        Logger emailLog = (Logger) LoggerFactory.getLogger("mailgate.email");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        emailLog.addAppender(lines);
        try {
            Mailbox mailbox = mailbox();
            String failing = createConnection(imapConnection(unique("silent"), mailbox, "wrong-password"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode warnings = status(failing).get("warnings");
                assertThat(warnings.findValuesAsText("code")).contains("NO_SUCCESSFUL_POLL");
                assertThat(metric(
                                prometheusAsAdmin(),
                                "mailgate_connection_warnings",
                                "connection",
                                "default/" + failing,
                                "warning",
                                "NO_SUCCESSFUL_POLL"))
                        .isEqualTo(1);
                assertThat(emailLines(lines, failing)).anyMatch(l -> l.contains("warning=NO_SUCCESSFUL_POLL"));
            });
        } finally {
            emailLog.detachAppender(lines);
        }
    }

    @Test
    void daysUntilTheDecryptionCertificateExpiresAreAMetricAndAWarning() throws Exception {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("expiring"), mailbox, mailbox.password());
        request.put("decryption", Map.of("enabled", true));
        String connection = createConnection(request);
        var form = new LinkedMultiValueMap<String, Object>();
        form.add("file", new FileSystemResource("src/test/resources/decrypt/keys/recipient-rsa.p12"));
        form.add("password", "changeit");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        assertThat(http.exchange(
                                "/api/v1/orgs/default/connections/" + connection + "/decryption-key",
                                HttpMethod.PUT,
                                new HttpEntity<>(form, headers),
                                String.class)
                        .getStatusCode()
                        .value())
                .isEqualTo(200);

        var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        Files.newInputStream(Path.of("src/test/resources/decrypt/keys/recipient-rsa.crt")));
        long days = Math.floorDiv(
                Duration.between(Instant.now(), certificate.getNotAfter().toInstant())
                        .toSeconds(),
                86_400L);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            double found = metric(
                    prometheus(),
                    "mailgate_credential_expiry_days",
                    "connection",
                    "default/" + connection,
                    "credential",
                    "decryption_certificate");
            assertThat(found).isBetween(days - 1.0, (double) days);
            assertThat(status(connection).get("warnings").findValuesAsText("code"))
                    .contains("CREDENTIAL_EXPIRING");
        });
    }

    private String prometheusAsAdmin() {
        return prometheus();
    }

    @Test
    void anExternalRouteTagsIncidentsBeforeTheyAreStored() {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        deliver(mailbox, message(newMessageId(), "Overdue INVOICE 4471", "pay now"));
        deliver(mailbox, message(newMessageId(), "Lunch?", "no tags here"));
        List<JsonNode> messages = awaitMessages(connection, 2);
        Map<String, Long> incidentOf = new HashMap<>();
        messages.forEach(m ->
                incidentOf.put(m.get("subject").asText(), m.get("incidentId").asLong()));

        assertThat(jdbc.queryForList(
                        "SELECT tag FROM incident_tags WHERE incident_id = ? ORDER BY tag",
                        String.class,
                        incidentOf.get("Overdue INVOICE 4471")))
                .containsExactly("finance", "invoice");
        assertThat(jdbc.queryForList(
                        "SELECT tag FROM incident_tags WHERE incident_id = ?", String.class, incidentOf.get("Lunch?")))
                .isEmpty();
        // the forwarder delivers the incident with its tags
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(SOAR.getAllServeEvents())
                        .anyMatch(e -> e.getRequest().getBodyAsString().contains("Overdue INVOICE 4471")
                                && e.getRequest().getBodyAsString().contains("\"tags\":[\"finance\",\"invoice\"]")));
    }
}

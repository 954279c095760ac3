package io.mailgate.connection.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.connectiontest.ImapFront;
import io.mailgate.connectiontest.TestCertificates;
import io.mailgate.testing.IngestTestSupport;
import io.mailgate.tls.Certificates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/** Save and Test Connection through the API, and trusting a server's certificate for one connection only. */
class ConnectionTestApiTest extends IngestTestSupport {

    @Test
    void saveAndTestReportsTheFolderAndAnUnsavedTestStoresNothing() {
        Mailbox mailbox = mailbox();
        deliver(mailbox, message(newMessageId(), "Unread one", "x"));
        Map<String, Object> request = imapConnection(unique("saved"), mailbox, mailbox.password());
        request.put("enabled", false);
        Reply saved = call(HttpMethod.POST, "/api/v1/orgs/default/connections?test=true", admin(), request);
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        assertThat(saved.json().at("/connection/apiName").asText()).isEqualTo(request.get("apiName"));
        assertThat(saved.json().at("/test/ok").asBoolean()).isTrue();
        assertThat(saved.json().at("/test/stage").asText()).isEqualTo("FOLDER");
        assertThat(saved.json().at("/test/unreadMessages").asInt()).isEqualTo(1);
        assertThat(saved.body()).doesNotContain(mailbox.password());

        Map<String, Object> unsaved = imapConnection(unique("unsaved"), mailbox, mailbox.password());
        Reply tested = call(HttpMethod.POST, "/api/v1/orgs/default/connections/test", admin(), unsaved);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().get("ok").asBoolean()).isTrue();
        assertThat(get("/api/v1/orgs/default/connections/" + unsaved.get("apiName"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aWrongPasswordAndAMissingFolderAreNamed() {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("codes"), mailbox, "not-the-password");
        request.put("enabled", false);
        String connection = createConnection(request);
        Reply auth = call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + connection + "/test", admin(), null);
        assertThat(auth.json().get("ok").asBoolean()).isFalse();
        assertThat(auth.json().get("stage").asText()).isEqualTo("AUTH");
        assertThat(auth.json().get("code").asText()).isEqualTo("AUTH_FAILED");
        assertThat(auth.body()).doesNotContain("not-the-password").doesNotContain("Exception");

        @SuppressWarnings("unchecked")
        Map<String, Object> imap = (Map<String, Object>) request.get("imap");
        imap.put("password", mailbox.password());
        imap.put("sourceFolder", "Phishing");
        Reply folder =
                call(HttpMethod.PUT, "/api/v1/orgs/default/connections/" + connection + "?test=true", admin(), request);
        assertThat(folder.status()).as(folder.body()).isEqualTo(200);
        assertThat(folder.json().at("/test/code").asText()).isEqualTo("FOLDER_NOT_FOUND");
        assertThat(folder.json().at("/test/availableFolders").toString()).contains("INBOX");
    }

    @Test
    void anUntrustedCertificateIsShownTrustedForThisConnectionOnlyAndTheRouteThenRuns() throws Exception {
        Mailbox mailbox = mailbox();
        TestCertificates.Issued certificate = TestCertificates.selfSigned("localhost", List.of("localhost"));
        try (ImapFront front = ImapFront.implicitTls(certificate, MAIL.getImap().getPort())) {
            Map<String, Object> request = imapConnection(unique("tls"), mailbox, mailbox.password());
            @SuppressWarnings("unchecked")
            Map<String, Object> imap = (Map<String, Object>) request.get("imap");
            imap.put("host", "localhost");
            imap.put("port", front.port());
            imap.put("encryption", "SSL_TLS");
            String connection = createConnection(request);
            deliver(mailbox, message(newMessageId(), "Behind a self-signed certificate", "x"));

            // The route fails with the same code the test gives, and takes nothing.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode status = status(connection);
                assertThat(status.get("state").asText()).isEqualTo("FAILING");
                assertThat(status.get("lastErrorCode").asText()).isEqualTo("UNTRUSTED_CERTIFICATE");
            });
            JsonNode failed = call(
                            HttpMethod.POST, "/api/v1/orgs/default/connections/" + connection + "/test", admin(), null)
                    .json();
            assertThat(failed.get("stage").asText()).isEqualTo("TLS");
            assertThat(failed.get("code").asText()).isEqualTo("UNTRUSTED_CERTIFICATE");
            String sha256 =
                    failed.get("serverCertificates").get(0).get("sha256").asText();
            assertThat(failed.get("serverCertificates").get(0).get("pem").asText())
                    .startsWith("-----BEGIN CERTIFICATE");

            Reply trusted = call(
                    HttpMethod.POST,
                    "/api/v1/orgs/default/connections/" + connection + "/trusted-certificates",
                    admin(),
                    Map.of("sha256", sha256));
            assertThat(trusted.status()).as(trusted.body()).isEqualTo(201);
            JsonNode passed = call(
                            HttpMethod.POST, "/api/v1/orgs/default/connections/" + connection + "/test", admin(), null)
                    .json();
            assertThat(passed.get("ok").asBoolean()).as(passed.toString()).isTrue();
            awaitMessages(connection, 1);

            // The same server through another connection is still refused: trust is per connection.
            Map<String, Object> other = imapConnection(unique("tls_other"), mailbox, mailbox.password());
            other.put("imap", imap);
            other.put("enabled", false);
            String otherConnection = createConnection(other);
            JsonNode refused = call(
                            HttpMethod.POST,
                            "/api/v1/orgs/default/connections/" + otherConnection + "/test",
                            admin(),
                            null)
                    .json();
            assertThat(refused.get("code").asText()).isEqualTo("UNTRUSTED_CERTIFICATE");
            // Trusting a fingerprint that the last test did not present is refused, naming the field.
            Reply unknown = call(
                    HttpMethod.POST,
                    "/api/v1/orgs/default/connections/" + otherConnection + "/trusted-certificates",
                    admin(),
                    Map.of("sha256", "AB".repeat(32)));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.json().get("errors").findValuesAsText("field")).contains("sha256");
            Reply none = call(
                    HttpMethod.POST,
                    "/api/v1/orgs/default/connections/" + otherConnection + "/trusted-certificates",
                    admin(),
                    Map.of("sha256", " "));
            assertThat(none.status()).isEqualTo(400);
            assertThat(none.json().at("/errors/0/field").asText()).isEqualTo("sha256");
            assertThat(none.json().at("/errors/0/message").asText()).isEqualTo("is required");
        }
    }

    @Test
    void aStartTlsRouteIngestsOverTlsAndNeverFallsBackToClearText() throws Exception {
        Mailbox mailbox = mailbox();
        TestCertificates.Issued certificate = TestCertificates.selfSigned("localhost", List.of("localhost"));
        try (ImapFront startTls = ImapFront.startTls(certificate, MAIL.getImap().getPort());
                ImapFront plain = ImapFront.plain(MAIL.getImap().getPort())) {
            // Against a server that offers no STARTTLS the route fails before sending any credential.
            Map<String, Object> clear = imapConnection(unique("nostarttls"), mailbox, mailbox.password());
            @SuppressWarnings("unchecked")
            Map<String, Object> clearImap = (Map<String, Object>) clear.get("imap");
            clearImap.put("host", "localhost");
            clearImap.put("port", plain.port());
            clearImap.put("encryption", "STARTTLS");
            String refused = createConnection(clear);
            deliver(mailbox, message(newMessageId(), "Only over TLS", "x"));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                                    status(refused).get("lastErrorCode").asText())
                            .isEqualTo("TLS_NOT_OFFERED"));
            assertThat(plain.received()).doesNotContain("LOGIN").doesNotContain(mailbox.password());
            assertThat(seen(mailbox)).isZero();
            call(HttpMethod.DELETE, "/api/v1/orgs/default/connections/" + refused, admin(), null);

            // With STARTTLS offered and the certificate trusted (uploaded as PEM), the route ingests.
            Map<String, Object> request = imapConnection(unique("starttls"), mailbox, mailbox.password());
            @SuppressWarnings("unchecked")
            Map<String, Object> imap = (Map<String, Object>) request.get("imap");
            imap.put("host", "localhost");
            imap.put("port", startTls.port());
            imap.put("encryption", "STARTTLS");
            request.put("enabled", false);
            String connection = createConnection(request);
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.AUTHORIZATION, admin());
            headers.setContentType(MediaType.parseMediaType("application/x-pem-file"));
            var upload = http.exchange(
                    "/api/v1/orgs/default/connections/" + connection + "/trusted-certificates",
                    HttpMethod.POST,
                    new HttpEntity<>(Certificates.toPem(certificate.certificate()), headers),
                    String.class);
            assertThat(upload.getStatusCode().value()).as(upload.getBody()).isEqualTo(201);
            request.put("enabled", true);
            assertThat(call(HttpMethod.PUT, "/api/v1/orgs/default/connections/" + connection, admin(), request)
                            .status())
                    .isEqualTo(200);
            assertThat(awaitMessages(connection, 1).get(0).get("subject").asText())
                    .isEqualTo("Only over TLS");
        }
    }
}

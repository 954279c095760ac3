package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.IngestTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * Encrypted phishing reports over IMAP: without the key they are quarantined (naming the recipients),
 * after the key is uploaded a retry makes them readable incidents, and new ones are decrypted directly.
 * Fixtures: src/test/resources/decrypt (made by make-fixtures.sh with OpenSSL and GnuPG).
 */
class DecryptionIngestTest extends IngestTestSupport {

    static final Path FIXTURES = Path.of("src/test/resources/decrypt");

    @Test
    void wrongKeyQuarantinesThenUploadAndRetryMakesAnIncident() throws Exception {
        Mailbox mailbox = mailbox();
        Map<String, Object> request = imapConnection(unique("smime"), mailbox, mailbox.password());
        request.put("decryption", Map.of("enabled", true));
        String connection = createConnection(request);
        // First the wrong key: another recipient's.
        Reply wrong = uploadKey(connection, "keys/recipient-ec.p12", "changeit");
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(200);

        deliver(mailbox, fixture("smime/rsa-aes256-cbc.eml"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen(mailbox)).isEqualTo(1));
        JsonNode quarantined =
                get("/api/v1/orgs/default/quarantine?limit=500").json().get("items").findParents("connection").stream()
                        .filter(q -> q.get("connection").asText().equals(connection))
                        .findFirst()
                        .orElseThrow();
        assertThat(quarantined.get("reasonCode").asText()).isEqualTo("UNDECRYPTABLE");
        assertThat(quarantined.get("reason").asText()).contains("Mailgate Test Intermediate CA");
        // Never decrypted, yet identified by its outer header block.
        assertThat(quarantined.get("subject").asText()).isEqualTo("Suspicious invoice");
        assertThat(quarantined.get("from").asText()).isEqualTo("reporter@example.org");

        Reply right = uploadKey(connection, "keys/recipient-rsa.p12", "changeit");
        assertThat(right.status()).as(right.body()).isEqualTo(200);
        assertThat(right.json().get("kind").asText()).isEqualTo("PKCS12");
        Reply connectionView = get("/api/v1/orgs/default/connections/" + connection);
        assertThat(connectionView.json().at("/decryption/keyInstalled").asBoolean())
                .isTrue();
        assertThat(connectionView.body()).doesNotContain("changeit").doesNotContain("PRIVATE");

        Reply retried = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/quarantine/" + quarantined.get("id").asLong() + "/retry",
                admin(),
                null);
        assertThat(retried.json().get("status").asText()).as(retried.body()).isEqualTo("RELEASED");
        JsonNode message = messages(connection).get(0);
        assertThat(message.get("subject").asText()).isEqualTo("Suspicious invoice");
        assertThat(message.get("encrypted").asBoolean()).isTrue();
        assertThat(message.get("decrypted").asBoolean()).isTrue();
        assertThat(message.get("encryptionFormat").asText()).isEqualTo("SMIME");
        assertThat(message.get("decryptedWith").asText()).isNotBlank();

        // The next encrypted message (another one: its own Message-ID) is decrypted directly.
        deliver(mailbox, "Message-ID: " + newMessageId() + "\r\n" + fixture("smime/rsa-aes256-gcm.eml"));
        assertThat(awaitMessages(connection, 2).get(1).get("decrypted").asBoolean())
                .isTrue();
    }

    @Test
    void badKeyUploadsAreRefusedNamingTheCause() throws Exception {
        Mailbox mailbox = mailbox();
        String connection = createImapConnection(mailbox);
        Reply noPassword = uploadKey(connection, "keys/recipient-rsa.p12", null);
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().get("errors").findValuesAsText("field")).contains("password");
        Reply wrongPassword = uploadKey(connection, "keys/recipient-rsa.p12", "not-it");
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.json().get("errors").findValuesAsText("field")).contains("password");
        Reply certificatesOnly = uploadKey(connection, "keys/certs-only.p12", "changeit");
        assertThat(certificatesOnly.status()).isEqualTo(400);
        assertThat(certificatesOnly.json().get("detail").asText()).containsIgnoringCase("private key");
        Reply notPkcs12 = uploadKey(connection, "keys/chain.crt", "changeit");
        assertThat(notPkcs12.status()).isEqualTo(400);
        assertThat(notPkcs12.json().get("errors").findValuesAsText("field")).contains("file");
    }

    Reply uploadKey(String connection, String file, String password) throws Exception {
        MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
        byte[] bytes = Files.readAllBytes(FIXTURES.resolve(file));
        form.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return Path.of(file).getFileName().toString();
            }
        });
        if (password != null) {
            form.add("password", password);
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, admin());
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        ResponseEntity<String> response = http.exchange(
                "/api/v1/orgs/default/connections/" + connection + "/decryption-key",
                HttpMethod.PUT,
                new HttpEntity<>(form, headers),
                String.class);
        return new Reply(
                response.getStatusCode().value(),
                response.getBody(),
                response.getBody() == null ? null : json.readTree(response.getBody()));
    }

    static String fixture(String name) throws Exception {
        return Files.readString(FIXTURES.resolve(name), StandardCharsets.US_ASCII);
    }
}

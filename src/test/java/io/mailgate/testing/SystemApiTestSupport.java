package io.mailgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.account.ApiKeys;
import io.mailgate.api.ProblemProbeController;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * One Spring context for all system tests: the real application on a random port, a database
 * migrated by Flyway (in-memory H2, or the PostgreSQL of MAILGATE_TEST_POSTGRES_URL), and a known
 * admin password. Tests create what they need under
 * unique names, so they do not depend on each other's data.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // H2 in memory; PostgreSQL when MAILGATE_TEST_POSTGRES_URL is set (CI), with the same tests
            "spring.datasource.url=${MAILGATE_TEST_POSTGRES_URL:jdbc:h2:mem:mailgate-system;DB_CLOSE_DELAY=-1}",
            "spring.datasource.username=${MAILGATE_TEST_POSTGRES_USER:sa}",
            "spring.datasource.password=${MAILGATE_TEST_POSTGRES_PASSWORD:}",
            "mailgate.admin-password=" + SystemApiTestSupport.ADMIN_PASSWORD,
            "spring.servlet.multipart.max-file-size=1KB",
        })
@Import(ProblemProbeController.class)
public abstract class SystemApiTestSupport {

    public static final String ADMIN_PASSWORD = "Admin-test-password-1";
    public static final String ADMIN = basic("admin", ADMIN_PASSWORD);

    /** SHA-256 of every API key created in the tests: none may ever appear in a response. */
    private static final Set<String> KEY_HASHES = ConcurrentHashMap.newKeySet();

    private static final HttpClient ONCE = HttpClient.newHttpClient();

    @Autowired
    protected TestRestTemplate http;

    @Autowired
    protected ObjectMapper json;

    public record Reply(int status, HttpHeaders headers, String body, JsonNode json) {}

    public Reply call(HttpMethod method, String path, String authorization, Object body) {
        HttpHeaders headers = new HttpHeaders();
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        Object payload = body;
        if (body != null && !(body instanceof String)) {
            payload = writeJson(body);
        }
        if (payload != null && headers.getContentType() == null) {
            headers.setContentType(MediaType.APPLICATION_JSON);
        }
        return send(method, path, new HttpEntity<>(payload, headers));
    }

    public Reply send(HttpMethod method, String path, HttpEntity<?> request) {
        ResponseEntity<String> response = http.exchange(path, method, request, String.class);
        String text = response.getBody();
        assertNoSecrets(text);
        return new Reply(response.getStatusCode().value(), response.getHeaders(), text, parse(text));
    }

    public Reply get(String path, String authorization) {
        return call(HttpMethod.GET, path, authorization, null);
    }

    /**
     * A GET sent exactly once. The template's HTTP client retries a 503 after its Retry-After (as a well-behaved
     * client should), which would hide the first answer and make a test wait.
     */
    public Reply getOnce(String path, String authorization) {
        try {
            HttpResponse<String> response = ONCE.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(http.getRootUri() + path))
                            .header(HttpHeaders.AUTHORIZATION, authorization)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpHeaders headers = new HttpHeaders();
            response.headers().map().forEach(headers::addAll);
            assertNoSecrets(response.body());
            return new Reply(response.statusCode(), headers, response.body(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply post(String path, String authorization, Object body) {
        return call(HttpMethod.POST, path, authorization, body);
    }

    public Reply delete(String path, String authorization) {
        return call(HttpMethod.DELETE, path, authorization, null);
    }

    /** Creates an organization as the admin and returns its handle. */
    public String newOrg(String prefix) {
        String handle = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Reply reply = post("/api/v1/orgs", ADMIN, Map.of("handle", handle, "name", "Org " + handle));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return handle;
    }

    /** Creates a user with a role in {@code org} and returns its Basic authorization header. */
    public String newMember(String org, String role) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "pw-" + UUID.randomUUID();
        Reply reply = post(
                "/api/v1/orgs/" + org + "/members",
                ADMIN,
                Map.of("username", username, "password", password, "role", role));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return basic(username, password);
    }

    /** Creates an API key in {@code org} and returns its value. */
    public String newApiKey(String org, String role) {
        Reply reply = post(
                "/api/v1/orgs/" + org + "/api-keys",
                ADMIN,
                Map.of(
                        "name",
                        "key " + role + " " + UUID.randomUUID(),
                        "role",
                        role)); // names are unique per organization
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        String key = reply.json().get("key").asText();
        rememberKey(key);
        return key;
    }

    /** An RFC 9457 problem detail with this status. */
    public static void assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.headers().getContentType()).isNotNull();
        assertThat(reply.headers().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type %s", reply.headers().getContentType())
                .isTrue();
        assertThat(reply.json().get("status").asInt()).isEqualTo(status);
        assertThat(reply.json().get("type").asText()).isNotBlank();
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("detail").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "\n\tat");
    }

    public static String basic(String username, String password) {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }

    /** Remembers a key so that every later response is checked for its hash. */
    public static void rememberKey(String key) {
        KEY_HASHES.add(ApiKeys.hash(key));
    }

    private static void assertNoSecrets(String text) {
        if (text == null) {
            return;
        }
        assertThat(text).doesNotContain("$2a$", "$2b$", "$2y$", "passwordHash", "password_hash", "keyHash", "key_hash");
        for (String hash : KEY_HASHES) {
            assertThat(text).doesNotContainIgnoringCase(hash);
        }
    }

    private String writeJson(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (Exception notJson) {
            return null;
        }
    }
}

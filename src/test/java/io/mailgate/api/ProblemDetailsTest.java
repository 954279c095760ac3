package io.mailgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.SystemApiTestSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;

/** Every failure is an RFC 9457 problem detail; a bad request is never a 500; nothing internal leaks. */
class ProblemDetailsTest extends SystemApiTestSupport {

    private static final String PROBE = "/api/v1/test-problems";

    @Test
    void wrongTypeInABodyNamesTheFieldAndTheExpectedType() {
        Reply reply = post(PROBE + "/body", ADMIN, "{\"name\":\"x\",\"imap\":{\"host\":\"h\",\"port\":\"abc\"}}");

        assertProblem(reply, 400);
        assertThat(reply.json().get("detail").asText()).isEqualTo("imap.port: expected a number");
        assertThat(fieldErrors(reply)).containsExactly(Map.entry("imap.port", "expected a number"));
    }

    @Test
    void wrongEnumValueListsTheAllowedOnes() {
        Reply reply = post(
                PROBE + "/body", ADMIN, "{\"name\":\"x\",\"protocol\":\"POP3\",\"imap\":{\"host\":\"h\",\"port\":1}}");

        assertProblem(reply, 400);
        assertThat(fieldErrors(reply)).containsExactly(Map.entry("protocol", "must be one of IMAP, EXCHANGE, OAUTH"));
    }

    @Test
    void wrongTypeInAListNamesTheIndex() {
        Reply reply = post(
                PROBE + "/body",
                ADMIN,
                "{\"name\":\"x\",\"imap\":{\"host\":\"h\",\"port\":1},\"to\":[\"a\",{\"b\":1}]}");

        assertProblem(reply, 400);
        assertThat(fieldErrors(reply)).containsExactly(Map.entry("to[1]", "expected a string"));
    }

    @Test
    void malformedJsonSaysWhereWithoutEchoingIt() {
        Reply reply = post(PROBE + "/body", ADMIN, "{\"name\": \"secret-value\", ");

        assertProblem(reply, 400);
        assertThat(reply.json().get("detail").asText()).startsWith("Malformed JSON");
        assertThat(reply.body()).doesNotContain("secret-value");
    }

    @Test
    void missingBodyIs400() {
        Reply reply = call(HttpMethod.POST, PROBE + "/body", ADMIN, null);

        assertProblem(reply, 400);
    }

    @Test
    void beanValidationNamesNestedJsonFields() {
        Reply reply = post(PROBE + "/body", ADMIN, "{\"name\":\"\",\"imap\":{\"host\":\"h\",\"port\":70000}}");

        assertProblem(reply, 400);
        assertThat(fieldErrors(reply)).containsOnlyKeys("name", "imap.port");
    }

    @Test
    void constraintOnARequestParameterNamesTheParameter() {
        Reply reply = get(PROBE + "/param?limit=0", ADMIN);

        assertProblem(reply, 400);
        assertThat(fieldErrors(reply)).containsOnlyKeys("limit");
    }

    @Test
    void wrongParameterTypeAndMissingParameterAre400() {
        Reply wrongType = get(PROBE + "/param?limit=many", ADMIN);
        assertProblem(wrongType, 400);
        assertThat(fieldErrors(wrongType)).containsExactly(Map.entry("limit", "expected a number"));

        Reply missing = get(PROBE + "/param", ADMIN);
        assertProblem(missing, 400);
        assertThat(fieldErrors(missing)).containsOnlyKeys("limit");

        assertProblem(get("/api/v1/orgs/default/api-keys/not-a-number", ADMIN), 400);
    }

    @Test
    void constraintViolationFromAServiceNamesTheJsonPath() {
        Reply reply = post(PROBE + "/service", ADMIN, "{\"name\":\"x\",\"imap\":{\"host\":\"h\",\"port\":0}}");

        assertProblem(reply, 400);
        assertThat(fieldErrors(reply)).containsOnlyKeys("imap.port");
    }

    @Test
    void databaseConflictIs409WithoutTheDatabaseMessage() {
        Reply reply = post(PROBE + "/conflict", ADMIN, "{}");

        assertProblem(reply, 409);
        assertThat(reply.body()).doesNotContain("secret_table");
    }

    @Test
    void unexpectedErrorIs500WithoutInternals() {
        Reply reply = get(PROBE + "/boom", ADMIN);

        assertProblem(reply, 500);
        assertThat(reply.body()).doesNotContain("must not leak", "IllegalStateException");
        assertThat(reply.json().get("errorId").asText()).isNotBlank();
    }

    @Test
    void databaseOutageInAControllerIs503WithRetryAfter() {
        Reply reply = getOnce(PROBE + "/database-down", ADMIN);

        assertProblem(reply, 503);
        assertThat(reply.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(DatabaseOutage.RETRY_AFTER);
        assertThat(reply.json().get("detail").asText()).isEqualTo(DatabaseOutage.DETAIL);
        assertThat(reply.body()).doesNotContain("HikariPool", "JPA");
    }

    @Test
    void wrongMethodUnsupportedMediaTypeAndUnknownPath() {
        assertProblem(call(HttpMethod.PUT, "/api/v1/orgs", ADMIN, "{}"), 405);

        HttpHeaders text = new HttpHeaders();
        text.set(HttpHeaders.AUTHORIZATION, ADMIN);
        text.setContentType(MediaType.TEXT_PLAIN);
        assertProblem(send(HttpMethod.POST, "/api/v1/orgs", new HttpEntity<>("handle=x", text)), 415);

        assertProblem(get("/api/v1/no-such-endpoint", ADMIN), 404);
        assertProblem(get("/no-such-page", ADMIN), 404);
    }

    @Test
    void tooLargeUploadIs413() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, ADMIN);
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(new byte[8 * 1024]) {
            @Override
            public String getFilename() {
                return "big.p12";
            }
        });

        Reply reply = send(HttpMethod.POST, PROBE + "/upload", new HttpEntity<>(parts, headers));
        assertProblem(reply, 413);
        assertThat(fieldErrors(reply))
                .containsExactly(Map.entry("file", "is larger than the largest upload accepted (1 KB)"));
        assertThat(reply.json().get("detail").asText())
                .isEqualTo("file: is larger than the largest upload accepted (1 KB).");
    }

    /** The decryption key upload of the issue: a 5 MB .pfx names its field like any other bad field. */
    @Test
    void aFiveMegabytePfxNamesTheFileField() {
        String apiName = "big_pfx_" + System.nanoTime();
        Reply created = post(
                "/api/v1/orgs/default/connections",
                ADMIN,
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Big pfx",
                        "protocol",
                        "IMAP",
                        "enabled",
                        false,
                        "decryption",
                        Map.of("enabled", true),
                        "imap",
                        Map.of(
                                "host",
                                "127.0.0.1",
                                "port",
                                1,
                                "emailAddress",
                                "soc",
                                "password",
                                "x",
                                "encryption",
                                "NONE")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.AUTHORIZATION, ADMIN);
        headers.setContentType(MediaType.MULTIPART_FORM_DATA);
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new ByteArrayResource(new byte[5 * 1024 * 1024]) {
            @Override
            public String getFilename() {
                return "soc.pfx";
            }
        });
        parts.add("password", "secret");
        Reply reply = send(
                HttpMethod.PUT,
                "/api/v1/orgs/default/connections/" + apiName + "/decryption-key",
                new HttpEntity<>(parts, headers));

        assertProblem(reply, 413);
        assertThat(fieldErrors(reply)).containsOnlyKeys("file");
    }

    @Test
    void problemsAreJsonWhateverTheClientAccepts() {
        for (MediaType accept : new MediaType[] {MediaType.TEXT_HTML, MediaType.APPLICATION_XML, MediaType.ALL}) {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.AUTHORIZATION, ADMIN);
            headers.setAccept(List.of(accept));
            assertProblem(send(HttpMethod.GET, "/api/v1/orgs/nowhere-at-all", new HttpEntity<>(headers)), 404);
            assertProblem(send(HttpMethod.GET, PROBE + "/param?limit=0", new HttpEntity<>(headers)), 400);
        }
    }

    @Test
    void theErrorPageItselfIsAProblem() {
        assertProblem(get("/error", null), 404);
    }

    @Test
    void problemsCarryTheRequestPath() {
        Reply reply = get("/api/v1/orgs/nowhere-at-all", ADMIN);

        assertProblem(reply, 404);
        assertThat(reply.json().get("instance").asText()).isEqualTo("/api/v1/orgs/nowhere-at-all");
        assertThat(reply.json().get("title").asText()).isEqualTo("Not Found");
        assertThat(reply.json().get("type").asText()).isEqualTo("about:blank");
    }

    private static Map<String, String> fieldErrors(Reply reply) {
        JsonNode errors = reply.json().get("errors");
        assertThat(errors).as("errors in %s", reply.body()).isNotNull();
        Map<String, String> byField = new LinkedHashMap<>();
        for (JsonNode error : errors) {
            byField.put(error.get("field").asText(), error.get("message").asText());
        }
        return byField;
    }
}

package io.mailgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.testing.SystemApiTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is the API's contract, so it must name every endpoint the running application describes at
 * /v3/api-docs, and nothing that does not exist. An endpoint is documented by a line (or a table row) holding
 * {@code METHOD /path}, e.g. {@code | GET | `/api/v1/orgs/{org}/incidents` |}; query strings are ignored and path
 * variables match by position, whatever their names.
 */
class ApiDocumentTest extends SystemApiTestSupport {

    static final Path DOCUMENT = Path.of("docs", "api.md");

    /** ProblemProbeController: endpoints this test's application has and mailgate has not. */
    static final String TEST_ONLY = "/api/v1/test-problems/";

    /** {@code GET /path}, {@code | GET | `/path` |} or {@code GET `/path`}: the method, then the path. */
    private static final Pattern ENDPOINT = Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE)\\b[\\s|`]+(/[^\\s`|?]*)");

    @Test
    void docsApiMdNamesExactlyTheEndpointsOfTheLiveOpenApiDescription() throws IOException {
        Reply apiDocs = get("/v3/api-docs", null);
        assertThat(apiDocs.status()).isEqualTo(200);
        Set<String> live = live(apiDocs.json());
        Set<String> documented = documented(Files.readString(DOCUMENT, StandardCharsets.UTF_8));
        assertThat(live).as("endpoints in the live OpenAPI").isNotEmpty();

        Set<String> undocumented = new TreeSet<>(live);
        undocumented.removeAll(documented);
        Set<String> gone = new TreeSet<>(documented);
        gone.removeAll(live);
        List<String> problems = new ArrayList<>();
        undocumented.forEach(
                e -> problems.add(e + "  — in the live OpenAPI (/v3/api-docs) but missing from " + DOCUMENT));
        gone.forEach(e -> problems.add(e + "  — in " + DOCUMENT + " but not in the live OpenAPI (/v3/api-docs)"));
        assertThat(problems)
                .as(
                        "docs/api.md and the live API differ; add each missing endpoint as a line "
                                + "`METHOD /path` to the side that lacks it:%n%s",
                        String.join("\n", problems))
                .isEmpty();
    }

    @Test
    void theEndpointLinesOfTheDocumentAreRecognised() {
        assertThat(documented("""
                | GET | `/api/v1/orgs/{org}/incidents?after={cursor}` | incidents |
                POST /api/v1/orgs/{handle}/connections/{apiName}/test
                PUT `/api/v1/orgs/{org}/connections/{apiName}/decryption-key` (multipart)
                A sentence that says GET is used is not an endpoint.
                """))
                .containsExactly(
                        "GET /api/v1/orgs/{}/incidents",
                        "POST /api/v1/orgs/{}/connections/{}/test",
                        "PUT /api/v1/orgs/{}/connections/{}/decryption-key");
    }

    static Set<String> live(JsonNode openApi) {
        Set<String> endpoints = new TreeSet<>();
        Iterator<String> paths = openApi.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            if (path.startsWith(TEST_ONLY)) {
                continue;
            }
            Iterator<String> methods = openApi.path("paths").path(path).fieldNames();
            while (methods.hasNext()) {
                String method = methods.next().toUpperCase(Locale.ROOT);
                if (Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    endpoints.add(method + " " + normalized(path));
                }
            }
        }
        return endpoints;
    }

    static Set<String> documented(String document) {
        Set<String> endpoints = new TreeSet<>();
        Matcher m = ENDPOINT.matcher(document);
        while (m.find()) {
            endpoints.add(m.group(1) + " " + normalized(m.group(2)));
        }
        return endpoints;
    }

    /** Path variables by position ({@code {}}), no trailing slash. */
    private static String normalized(String path) {
        String p = path.replaceAll("\\{[^}]*}", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}

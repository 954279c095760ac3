package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.oauth.EntraSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

/**
 * A Microsoft 365 connection end to end against the Entra ID and Graph simulators: NEEDS_CONSENT until an
 * admin grants access, the authorization code flow through the real redirect, ingestion over Graph with
 * mark-read after storing, a one-time state, and NEEDS_CONSENT again when the grant is revoked.
 */
class GraphIngestTest extends IngestTestSupport {

    @Test
    void grantAccessThenIngestThenRevokedGrantNeedsConsent() throws Exception {
        String apiName = unique("m365");
        Reply created = call(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), Map.of(
                "apiName", apiName, "name", "Microsoft 365 phishing", "protocol", "OAUTH",
                "oauth", Map.of("clientId", EntraSimulator.CLIENT_ID, "tenantId", EntraSimulator.TENANT,
                        "clientSecret", EntraSimulator.SECRET, "emailAddress", EntraSimulator.USERNAME),
                "polling", Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(EntraSimulator.SECRET);
        assertThat(status(apiName).get("state").asText()).isEqualTo("NEEDS_CONSENT");

        // Grant Access: the browser goes to Entra ID and comes back to /email-oauth with code and state.
        ENTRA.accessTokenLifetime(2);
        String authorizationUrl = call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName
                + "/oauth/grant", admin(), null).json().get("authorizationUrl").asText();
        assertThat(authorizationUrl).contains("code_challenge_method=S256").contains("offline_access");
        HttpResponse<String> toEntra = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(toEntra.statusCode()).isEqualTo(302);
        URI back = URI.create(toEntra.headers().firstValue("Location").orElseThrow());
        assertThat(back.getPath()).isEqualTo("/email-oauth");
        Reply granted = page("/email-oauth?" + back.getRawQuery());
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        assertThat(granted.body()).contains("Access granted").contains(EntraSimulator.USERNAME);
        Reply replayed = page("/email-oauth?" + back.getRawQuery());
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.body()).contains("already used");
        assertThat(get("/api/v1/orgs/default/connections/" + apiName).json().at("/oauth/account/username").asText())
                .isEqualTo(EntraSimulator.USERNAME);

        // The route reads the mailbox over Graph and marks messages read only after storing them.
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GraphSimulator.Mailbox me = GRAPH.mailbox("me");
        GraphSimulator.Message report = me.add(me.wellKnown("inbox"), "Graph report " + apiName, Instant.now());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(messages(apiName)).extracting(m -> m.get("subject").asText())
                        .contains("Graph report " + apiName));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(report.read).isTrue());
        assertThat(status(apiName).get("state").asText()).isEqualTo("RUNNING");
        assertThat(call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/test", admin(), null)
                .json().get("ok").asBoolean()).isTrue();

        // Revoked in Entra ID: the next refresh fails with invalid_grant and the connection needs consent.
        ENTRA.revokeRefreshTokens();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(status(apiName).get("state").asText()).isEqualTo("NEEDS_CONSENT"));
        int calls = ENTRA.tokenRequests();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(ENTRA.tokenRequests()).as("no retry storm").isEqualTo(calls));
    }

    @Test
    void appOnlyAccessReadsAMailboxWithoutASignedInAccount() {
        String apiName = unique("apponly");
        String address = apiName + "@contoso.example";
        Map<String, Object> oauth = new java.util.HashMap<>(Map.of("clientId", EntraSimulator.CLIENT_ID,
                "clientSecret", EntraSimulator.SECRET, "emailAddress", address, "appOnly", true));
        Reply noTenant = call(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), Map.of(
                "apiName", apiName, "name", "Unattended", "protocol", "OAUTH", "oauth", oauth));
        assertThat(noTenant.status()).isEqualTo(400);
        assertThat(noTenant.json().get("errors").findValuesAsText("field")).contains("oauth.tenantId");

        oauth.put("tenantId", EntraSimulator.TENANT);
        // Entra showed the secret's expiry when it was created: five days left is worth a warning.
        oauth.put("clientSecretExpiresAt", Instant.now().plus(Duration.ofDays(5)).toString());
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        GraphSimulator.Message alert = mailbox.add(mailbox.wellKnown("inbox"), "App-only " + apiName, Instant.now());
        Reply created = call(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), Map.of(
                "apiName", apiName, "name", "Unattended", "protocol", "OAUTH", "oauth", oauth,
                "polling", Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(messages(apiName)).extracting(m -> m.get("subject").asText()).contains("App-only " + apiName));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alert.read).isTrue());
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(status(apiName).get("warnings").findValuesAsText("code")).contains("CREDENTIAL_EXPIRING"));
    }

    @Test
    void aBadStateAnswersAClearPage() {
        Reply missing = page("/email-oauth?code=abc");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("no state");
        Reply unknown = page("/email-oauth?code=abc&state=forged");
        assertThat(unknown.body()).contains("not known").doesNotContain("Exception");
    }

    /** What a browser gets: no credentials, HTML accepted. */
    Reply page(String path) {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.setAccept(java.util.List.of(org.springframework.http.MediaType.TEXT_HTML));
        var response = http.exchange(path, HttpMethod.GET, new org.springframework.http.HttpEntity<>(headers),
                String.class);
        return new Reply(response.getStatusCode().value(), response.getBody(), null);
    }
}

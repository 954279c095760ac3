package io.mailgate.component.msgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.connection.ConnectionService;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.testing.IngestTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A Microsoft 365 connection end to end against the Entra ID and Graph simulators: NEEDS_CONSENT until an
 * admin grants access, the authorization code flow through the real redirect, ingestion over Graph with
 * mark-read after storing, a one-time state, and NEEDS_CONSENT again when the grant is revoked.
 */
class GraphIngestTest extends IngestTestSupport {

    static final String ANALYST = "analyst@contoso.example";

    @Autowired
    ConnectionService connectionService;

    @Autowired
    ConnectionRepository connectionRepository;

    @BeforeEach
    void graphKnowsWhoSignedIn() {
        // Graph tells accounts apart by their tokens: /me is the signed-in account's own mailbox.
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GRAPH.identifyAccounts(ENTRA::accountOf);
        ENTRA.signInAs(EntraSimulator.USERNAME);
    }

    @AfterEach
    void theRightAccountSignsInAgain() {
        ENTRA.signInAs(EntraSimulator.USERNAME);
    }

    @Test
    void aGrantByAnotherAccountIsRefusedNamingBothAndNothingIsStoredOrRead() throws Exception {
        String apiName = unique("phish");
        String phish = apiName + "@contoso.example";
        GraphSimulator.Mailbox configured = GRAPH.mailbox(phish);
        GraphSimulator.Message report =
                configured.add(configured.wellKnown("inbox"), "Report " + apiName, Instant.now());
        GraphSimulator.Mailbox personal = GRAPH.mailbox(ANALYST);
        GraphSimulator.Message privateMail =
                personal.add(personal.wellKnown("inbox"), "Private " + apiName, Instant.now());
        createDelegated(apiName, phish);

        ENTRA.signInAs(ANALYST); // the admin picks their own account in Microsoft's account picker
        Reply refused = grantThroughTheBrowser(apiName);

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body())
                .contains("Access not granted")
                .contains(ANALYST)
                .contains(phish)
                .contains("Nothing was stored");
        JsonNode account =
                get("/api/v1/orgs/default/connections/" + apiName).json().at("/oauth/account");
        assertThat(account.path("granted").asBoolean()).isFalse();
        assertThat(status(apiName).get("state").asText()).isEqualTo("NEEDS_CONSENT");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(privateMail.read)
                    .as("the analyst's own mail is never read")
                    .isFalse();
            assertThat(report.read).isFalse();
        });
        assertThat(messages(apiName)).isEmpty();
    }

    @Test
    void aDelegateWithFullAccessReadsTheConfiguredMailboxNotItsOwn() throws Exception {
        String apiName = unique("shared");
        String phish = apiName + "@contoso.example";
        GraphSimulator.Mailbox configured = GRAPH.mailbox(phish);
        GraphSimulator.Mailbox personal = GRAPH.mailbox(ANALYST);
        GraphSimulator.Message privateMail =
                personal.add(personal.wellKnown("inbox"), "Private " + apiName, Instant.now());
        GRAPH.grantFullAccess(phish, ANALYST);
        createDelegated(apiName, phish);

        ENTRA.signInAs(ANALYST);
        Reply granted = grantThroughTheBrowser(apiName);

        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        assertThat(granted.body()).contains(phish).contains("delegate access of " + ANALYST);
        GraphSimulator.Message report =
                configured.add(configured.wellKnown("inbox"), "Delegated " + apiName, Instant.now());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(messages(apiName))
                        .extracting(m -> m.get("subject").asText())
                        .containsExactly("Delegated " + apiName));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(report.read).isTrue());
        assertThat(privateMail.read).isFalse();
        assertThat(GRAPH.server().getAllServeEvents())
                .extracting(e -> e.getRequest().getUrl())
                .as("the configured mailbox by its address")
                .anyMatch(url -> url.startsWith("/v1.0/users/" + phish + "/"));

        // Switch Account shows Microsoft's account picker and gives no account hint with it.
        String switchUrl = call(
                        HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/oauth/grant", admin(), null)
                .json()
                .get("authorizationUrl")
                .asText();
        Map<String, String> query = EntraSimulator.query(URI.create(switchUrl).getRawQuery());
        assertThat(query).containsEntry("prompt", "select_account").doesNotContainKey("login_hint");
    }

    @Test
    void aGrantStoredBeforeTheAccountWasCheckedIsRecheckedAndNotUsedWhenItIsAnotherAccount() {
        String apiName = unique("legacy");
        String phish = apiName + "@contoso.example";
        GRAPH.mailbox(phish);
        GraphSimulator.Mailbox personal = GRAPH.mailbox(ANALYST);
        GraphSimulator.Message privateMail =
                personal.add(personal.wellKnown("inbox"), "Private " + apiName, Instant.now());
        long id = createDelegated(apiName, phish);

        // As an earlier mailgate stored it: the analyst's grant, never compared with the connection's address.
        connectionService.grantAccount(id, ENTRA.issueRefreshToken(ANALYST), ANALYST, null, false);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.get("state").asText()).isEqualTo("NEEDS_CONSENT");
            assertThat(status.get("reason").asText())
                    .contains(ANALYST)
                    .contains(phish)
                    .contains("Grant Access");
        });
        JsonNode test = call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/test", admin(), null)
                .json();
        assertThat(test.get("code").asText()).as(test.toString()).isEqualTo("ACCOUNT_MISMATCH");
        assertThat(privateMail.read).isFalse();
        assertThat(messages(apiName)).isEmpty();
    }

    @Test
    void graphDenyingTheMailboxAtRunTimeIsPermissionMissingAsInTheTest() {
        String apiName = unique("denied");
        String address = apiName + "@contoso.example";
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        mailbox.add(mailbox.wellKnown("inbox"), "Never read " + apiName, Instant.now());
        GRAPH.deny(address);
        Reply created = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Denied",
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
                        Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = status(apiName);
            assertThat(status.get("state").asText()).isEqualTo("FAILING");
            assertThat(status.get("lastErrorCode").asText()).isEqualTo("PERMISSION_MISSING");
            assertThat(status.get("lastError").asText())
                    .contains("Mail.ReadWrite")
                    .doesNotContain("Exception");
        });
        JsonNode test = call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/test", admin(), null)
                .json();
        assertThat(test.get("code").asText()).isEqualTo("PERMISSION_MISSING");
    }

    private long createDelegated(String apiName, String address) {
        Reply created = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Phishing reports",
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
                                address),
                        "polling",
                        Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return connectionRepository.findAll().stream()
                .filter(c -> c.getApiName().equals(apiName))
                .findFirst()
                .orElseThrow()
                .getId();
    }

    /** Grant Access as a browser does it: to Entra's sign-in and back to /email-oauth. */
    private Reply grantThroughTheBrowser(String apiName) throws Exception {
        String authorizationUrl = call(
                        HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/oauth/grant", admin(), null)
                .json()
                .get("authorizationUrl")
                .asText();
        HttpResponse<String> toEntra = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(authorizationUrl))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        URI back = URI.create(toEntra.headers().firstValue("Location").orElseThrow());
        return page("/email-oauth?" + back.getRawQuery());
    }

    @Test
    void grantAccessThenIngestThenRevokedGrantNeedsConsent() throws Exception {
        String apiName = unique("m365");
        Reply created = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Microsoft 365 phishing",
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
                                EntraSimulator.USERNAME),
                        "polling",
                        Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(EntraSimulator.SECRET);
        assertThat(status(apiName).get("state").asText()).isEqualTo("NEEDS_CONSENT");

        // Grant Access: the browser goes to Entra ID and comes back to /email-oauth with code and state.
        ENTRA.accessTokenLifetime(2);
        String authorizationUrl = call(
                        HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/oauth/grant", admin(), null)
                .json()
                .get("authorizationUrl")
                .asText();
        assertThat(authorizationUrl).contains("code_challenge_method=S256").contains("offline_access");
        HttpResponse<String> toEntra = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(authorizationUrl))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(toEntra.statusCode()).isEqualTo(302);
        URI back = URI.create(toEntra.headers().firstValue("Location").orElseThrow());
        assertThat(back.getPath()).isEqualTo("/email-oauth");
        Reply granted = page("/email-oauth?" + back.getRawQuery());
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        assertThat(granted.body()).contains("Access granted").contains(EntraSimulator.USERNAME);
        Reply replayed = page("/email-oauth?" + back.getRawQuery());
        assertThat(replayed.status()).isEqualTo(400);
        assertThat(replayed.body()).contains("already used");
        assertThat(get("/api/v1/orgs/default/connections/" + apiName)
                        .json()
                        .at("/oauth/account/username")
                        .asText())
                .isEqualTo(EntraSimulator.USERNAME);

        // The route reads the mailbox over Graph and marks messages read only after storing them.
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GraphSimulator.Mailbox me = GRAPH.mailbox(EntraSimulator.USERNAME); // the signed-in account's own (/me)
        GraphSimulator.Message report = me.add(me.wellKnown("inbox"), "Graph report " + apiName, Instant.now());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(messages(apiName))
                        .extracting(m -> m.get("subject").asText())
                        .contains("Graph report " + apiName));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(report.read).isTrue());
        assertThat(status(apiName).get("state").asText()).isEqualTo("RUNNING");
        assertThat(call(HttpMethod.POST, "/api/v1/orgs/default/connections/" + apiName + "/test", admin(), null)
                        .json()
                        .get("ok")
                        .asBoolean())
                .isTrue();

        // Revoked in Entra ID: the next refresh fails with invalid_grant and the connection needs consent.
        ENTRA.revokeRefreshTokens();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(status(apiName).get("state").asText()).isEqualTo("NEEDS_CONSENT"));
        int calls = ENTRA.tokenRequests();
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(ENTRA.tokenRequests()).as("no retry storm").isEqualTo(calls));
    }

    @Test
    void appOnlyAccessReadsAMailboxWithoutASignedInAccount() {
        String apiName = unique("apponly");
        String address = apiName + "@contoso.example";
        Map<String, Object> oauth = new HashMap<>(Map.of(
                "clientId",
                EntraSimulator.CLIENT_ID,
                "clientSecret",
                EntraSimulator.SECRET,
                "emailAddress",
                address,
                "appOnly",
                true));
        Reply noTenant = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of("apiName", apiName, "name", "Unattended", "protocol", "OAUTH", "oauth", oauth));
        assertThat(noTenant.status()).isEqualTo(400);
        assertThat(noTenant.json().get("errors").findValuesAsText("field")).contains("oauth.tenantId");

        oauth.put("tenantId", EntraSimulator.TENANT);
        // Entra showed the secret's expiry when it was created: five days left is worth a warning.
        oauth.put(
                "clientSecretExpiresAt", Instant.now().plus(Duration.ofDays(5)).toString());
        GRAPH.acceptTokens(token -> ENTRA.scopesOf(token) != null);
        GraphSimulator.Mailbox mailbox = GRAPH.mailbox(address);
        GraphSimulator.Message alert = mailbox.add(mailbox.wellKnown("inbox"), "App-only " + apiName, Instant.now());
        Reply created = call(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                admin(),
                Map.of(
                        "apiName",
                        apiName,
                        "name",
                        "Unattended",
                        "protocol",
                        "OAUTH",
                        "oauth",
                        oauth,
                        "polling",
                        Map.of("intervalSeconds", 1)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(messages(apiName))
                        .extracting(m -> m.get("subject").asText())
                        .contains("App-only " + apiName));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(alert.read).isTrue());
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(status(apiName).get("warnings").findValuesAsText("code"))
                        .contains("CREDENTIAL_EXPIRING"));
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
        HttpHeaders headers = new HttpHeaders();
        headers.setAccept(List.of(MediaType.TEXT_HTML));
        var response = http.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
        return new Reply(response.getStatusCode().value(), response.getBody(), null);
    }
}

package io.mailgate.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationRequestsTest {

    private static final URI REDIRECT = URI.create("https://mailgate.example.com/email-oauth");

    @Test
    void authorizationUrlCarriesPkceS256ChallengeStateAndTheFourScopes() {
        var settings = new OAuthClientSettings(GraphCloud.GLOBAL, "client-1", null, ClientCredential.secret("x"));
        AuthorizationRequest request =
                new AuthorizationRequests(settings).create(REDIRECT, "soc@contoso.example", false);

        URI url = request.authorizationUrl();
        assertThat(url.getScheme() + "://" + url.getHost() + url.getPath())
                .isEqualTo("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize");
        Map<String, String> q = EntraSimulator.query(url.getRawQuery());
        assertThat(q)
                .containsEntry("client_id", "client-1")
                .containsEntry("response_type", "code")
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("state", request.state())
                .containsEntry("login_hint", "soc@contoso.example")
                .doesNotContainKey("prompt");
        assertThat(q.get("code_challenge")).isEqualTo(EntraSimulator.s256(request.codeVerifier()));
        assertThat(q.get("scope").split(" "))
                .contains("Mail.ReadWrite", "Mail.ReadWrite.Shared", "User.Read", "offline_access");
        // RFC 7636: a verifier of 43-128 unreserved characters
        assertThat(request.codeVerifier()).matches("[A-Za-z0-9\\-._~]{43,128}");
        assertThat(request.state()).hasSizeGreaterThanOrEqualTo(32);
        assertThat(request.toString()).doesNotContain(request.codeVerifier());
    }

    @Test
    void everyRequestHasItsOwnStateAndVerifier() {
        var requests = new AuthorizationRequests(
                new OAuthClientSettings(GraphCloud.GLOBAL, "c", "t", ClientCredential.secret("x")));
        AuthorizationRequest a = requests.create(REDIRECT, null, false);
        AuthorizationRequest b = requests.create(REDIRECT, null, false);
        assertThat(a.state()).isNotEqualTo(b.state());
        assertThat(a.codeVerifier()).isNotEqualTo(b.codeVerifier());
    }

    @Test
    void switchAccountAsksForTheAccountPickerWithoutAnAccountHint() {
        var requests = new AuthorizationRequests(
                new OAuthClientSettings(GraphCloud.GLOBAL, "c", null, ClientCredential.secret("x")));
        // Even when the caller knows the mailbox's account: select_account goes without login_hint.
        URI url = requests.create(REDIRECT, "soc@contoso.example", true).authorizationUrl();
        assertThat(EntraSimulator.query(url.getRawQuery()))
                .containsEntry("prompt", "select_account")
                .doesNotContainKey("login_hint");
    }

    @Test
    void nationalCloudUsesItsAuthorityTenantAndQualifiedScopes() {
        var settings =
                new OAuthClientSettings(GraphCloud.USGOV, "c", "contoso.onmicrosoft.us", ClientCredential.secret("x"));
        URI url = new AuthorizationRequests(settings)
                .create(REDIRECT, null, false)
                .authorizationUrl();
        assertThat(url.getHost()).isEqualTo("login.microsoftonline.us");
        assertThat(url.getPath()).isEqualTo("/contoso.onmicrosoft.us/oauth2/v2.0/authorize");
        assertThat(EntraSimulator.query(url.getRawQuery()).get("scope").split(" "))
                .contains(
                        "https://graph.microsoft.us/Mail.ReadWrite",
                        "https://graph.microsoft.us/Mail.ReadWrite.Shared",
                        "https://graph.microsoft.us/User.Read",
                        "offline_access");
    }

    @Test
    void cloudsPairGraphEndpointsWithTheirLoginAuthorities() {
        assertThat(GraphCloud.ofGraphEndpoint("https://graph.microsoft.com/")).contains(GraphCloud.GLOBAL);
        assertThat(GraphCloud.ofGraphEndpoint("https://dod-graph.microsoft.us"))
                .hasValueSatisfying(
                        c -> assertThat(c.loginAuthority()).hasToString("https://login.microsoftonline.us"));
        assertThat(GraphCloud.CHINA.loginAuthority()).hasToString("https://login.chinacloudapi.cn");
        assertThat(GraphCloud.ofGraphEndpoint("https://evil.example")).isEmpty();
    }

    @Test
    void settingsNeverShowTheSecret() {
        var settings =
                new OAuthClientSettings(GraphCloud.GLOBAL, "c", null, ClientCredential.secret("very-secret-value"));
        assertThat(settings.toString()).doesNotContain("very-secret-value").contains("organizations");
    }
}

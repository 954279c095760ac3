package io.mailgate.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final URI REDIRECT = URI.create("https://mailgate.example.com/email-oauth");

    private final EntraSimulator entra = new EntraSimulator();
    private final CloseableHttpClient http = ConnectionHttpClients.create(HttpSettings.of(null, null));

    @AfterEach
    void stop() {
        entra.close();
    }

    private OAuthClientSettings settings(String tenant, ClientCredential credential) {
        return new OAuthClientSettings(
                GraphCloud.GLOBAL, entra.baseUrl(), EntraSimulator.CLIENT_ID, tenant, credential);
    }

    private TokenService service(ClientCredential credential) {
        return new TokenService(settings(EntraSimulator.TENANT, credential), http);
    }

    /** What the browser does: open the authorization URL; Entra redirects back to /email-oauth. */
    private Map<String, String> signIn(AuthorizationRequest request) throws Exception {
        // the browser is not mailgate's client: the JDK's will do
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(request.authorizationUrl()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.getPath()).isEqualTo("/email-oauth");
        return EntraSimulator.query(location.getRawQuery());
    }

    @Test
    void grantAccessExchangesTheCodeWithPkceAndNamesTheAccount() throws Exception {
        OAuthClientSettings settings = settings(null, ClientCredential.secret(EntraSimulator.SECRET));
        AuthorizationRequest request = new AuthorizationRequests(settings).create(REDIRECT, null, false);
        Map<String, String> callback = signIn(request);
        assertThat(callback).containsEntry("state", request.state()).containsKey("code");

        TokenResponse tokens = new TokenService(settings, http)
                .exchangeAuthorizationCode(callback.get("code"), request.codeVerifier(), REDIRECT);

        assertThat(tokens.accessToken()).isNotBlank();
        assertThat(tokens.refreshToken()).isNotBlank();
        assertThat(tokens.username()).isEqualTo(EntraSimulator.USERNAME);
        assertThat(tokens.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
        assertThat(tokens.toString()).doesNotContain(tokens.accessToken()).doesNotContain(tokens.refreshToken());
        entra.server()
                .verify(postRequestedFor(urlPathEqualTo("/organizations/oauth2/v2.0/token"))
                        .withRequestBody(containing("code_verifier=" + request.codeVerifier())));
    }

    @Test
    void aCodeVerifierThatDoesNotMatchIsRefused() throws Exception {
        OAuthClientSettings settings = settings(EntraSimulator.TENANT, ClientCredential.secret(EntraSimulator.SECRET));
        AuthorizationRequest request = new AuthorizationRequests(settings).create(REDIRECT, null, false);
        String code = signIn(request).get("code");
        OAuthException e = catchThrowableOfType(
                OAuthException.class,
                () -> new TokenService(settings, http).exchangeAuthorizationCode(code, "x".repeat(43), REDIRECT));
        assertThat(e.errorCode()).isEqualTo("AADSTS501481");
        assertThat(e.failure()).isEqualTo(OAuthFailure.NEEDS_CONSENT);
    }

    @Test
    void aCodeCanBeRedeemedOnlyOnce() throws Exception {
        OAuthClientSettings settings = settings(EntraSimulator.TENANT, ClientCredential.secret(EntraSimulator.SECRET));
        AuthorizationRequest request = new AuthorizationRequests(settings).create(REDIRECT, null, false);
        String code = signIn(request).get("code");
        TokenService service = new TokenService(settings, http);
        service.exchangeAuthorizationCode(code, request.codeVerifier(), REDIRECT);
        OAuthException e = catchThrowableOfType(
                OAuthException.class, () -> service.exchangeAuthorizationCode(code, request.codeVerifier(), REDIRECT));
        assertThat(e.error()).isEqualTo("invalid_grant");
        assertThat(e.errorCode()).isEqualTo("AADSTS70008");
    }

    @Test
    void consentDeniedComesBackAsAnErrorOnTheRedirect() throws Exception {
        entra.denyConsent(true);
        OAuthClientSettings settings = settings(EntraSimulator.TENANT, ClientCredential.secret(EntraSimulator.SECRET));
        AuthorizationRequest request = new AuthorizationRequests(settings).create(REDIRECT, null, false);
        Map<String, String> query = signIn(request);
        assertThat(query)
                .containsEntry("error", "access_denied")
                .containsEntry("state", request.state())
                .doesNotContainKey("code");
        AuthorizationCallback callback = AuthorizationCallback.of(query);
        assertThat(callback.isError()).isTrue();
        assertThat(callback.state()).isEqualTo(request.state());
        assertThat(callback.describeError())
                .startsWith("Access was not granted")
                .contains("AADSTS65004");
    }

    @Test
    void aCallbackWithACodeIsNoError() throws Exception {
        OAuthClientSettings settings = settings(EntraSimulator.TENANT, ClientCredential.secret(EntraSimulator.SECRET));
        AuthorizationRequest request = new AuthorizationRequests(settings).create(REDIRECT, null, false);
        AuthorizationCallback callback = AuthorizationCallback.of(signIn(request));
        assertThat(callback.isError()).isFalse();
        assertThat(callback.describeError()).isNull();
        assertThat(callback.toString()).doesNotContain(callback.code());
        assertThat(AuthorizationCallback.of(Map.of("state", "s")).describeError())
                .contains("no authorization code");
    }

    @Test
    void refreshReturnsARotatedRefreshToken() throws Exception {
        String old = entra.issueRefreshToken();
        TokenResponse tokens =
                service(ClientCredential.secret(EntraSimulator.SECRET)).refresh(old);
        assertThat(tokens.refreshToken()).isNotBlank().isNotEqualTo(old);
        assertThat(entra.scopesOf(tokens.accessToken()))
                .contains("Mail.ReadWrite.Shared")
                .contains("offline_access");
    }

    @Test
    void anExpiredOrRevokedRefreshTokenNeedsConsent() {
        String rt = entra.issueRefreshToken();
        entra.revokeRefreshTokens();
        OAuthException e = catchThrowableOfType(
                OAuthException.class,
                () -> service(ClientCredential.secret(EntraSimulator.SECRET)).refresh(rt));
        assertThat(e.failure()).isEqualTo(OAuthFailure.NEEDS_CONSENT);
        assertThat(e.error()).isEqualTo("invalid_grant");
        assertThat(e.errorCode()).isEqualTo("AADSTS70008");
        // the description without Entra's trace and correlation ids
        assertThat(e.errorDescription())
                .startsWith("AADSTS70008: The provided authorization code or refresh token has expired")
                .doesNotContain("Trace ID");
        assertThat(e.needsConsent()).isTrue();
    }

    @Test
    void missingAdminConsentIsConsentRequired() {
        entra.adminConsentMissing(true);
        OAuthException e = catchThrowableOfType(
                OAuthException.class,
                () -> service(ClientCredential.secret(EntraSimulator.SECRET)).refresh(entra.issueRefreshToken()));
        assertThat(e.failure()).isEqualTo(OAuthFailure.CONSENT_REQUIRED);
        assertThat(e.errorCode()).isEqualTo("AADSTS65001");
    }

    @Test
    void aWrongClientSecretIsInvalidClientWithEntrasCode() {
        OAuthException e = catchThrowableOfType(
                OAuthException.class,
                () -> service(ClientCredential.secret("the-secret-id-not-its-value"))
                        .refresh(entra.issueRefreshToken()));
        assertThat(e.failure()).isEqualTo(OAuthFailure.INVALID_CLIENT);
        assertThat(e.errorCode()).isEqualTo("AADSTS7000215");
        assertThat(e.getMessage())
                .startsWith("AADSTS7000215: Invalid client secret provided")
                .doesNotContain("the-secret-id-not-its-value");
    }

    @Test
    void anUnknownTenantIsAConfigurationError() {
        TokenService service =
                new TokenService(settings("contoso.example", ClientCredential.secret(EntraSimulator.SECRET)), http);
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> service.refresh(entra.issueRefreshToken()));
        assertThat(e.failure()).isEqualTo(OAuthFailure.CONFIGURATION);
        assertThat(e.errorCode()).isEqualTo("AADSTS90002");
    }

    @Test
    void appOnlyAccessUsesClientCredentialsWithTheGraphDefaultScope() throws Exception {
        TokenResponse tokens =
                service(ClientCredential.secret(EntraSimulator.SECRET)).clientCredentials();
        assertThat(tokens.refreshToken()).isNull();
        assertThat(entra.scopesOf(tokens.accessToken())).isEqualTo("https://graph.microsoft.com/.default");
    }

    @Test
    void appOnlyAccessNeedsATenant() {
        TokenService service = new TokenService(settings(null, ClientCredential.secret(EntraSimulator.SECRET)), http);
        OAuthException e = catchThrowableOfType(OAuthException.class, service::clientCredentials);
        assertThat(e.failure()).isEqualTo(OAuthFailure.CONFIGURATION);
        assertThat(entra.tokenRequests()).isZero();
    }

    @Test
    void aCertificateFromPemSignsAClientAssertion() throws Exception {
        TestCertificates cert = new TestCertificates();
        entra.registerCertificate(cert.certificate.getPublicKey());
        ClientCredential credential = ClientCredential.fromPem(cert.pem(), null);
        TokenResponse tokens = service(credential).clientCredentials();
        assertThat(tokens.accessToken()).isNotBlank();
        assertThat(credential.toString()).contains("CN=mailgate-test-app").doesNotContain("BEGIN");
        entra.server()
                .verify(
                        postRequestedFor(urlPathEqualTo("/" + EntraSimulator.TENANT + "/oauth2/v2.0/token"))
                                .withRequestBody(
                                        containing(
                                                "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer")));
    }

    @Test
    void aCertificateFromPkcs12WorksAndAnUnregisteredOneIsRefused() throws Exception {
        TestCertificates registered = new TestCertificates();
        entra.registerCertificate(registered.certificate.getPublicKey());
        char[] password = "p12-pass".toCharArray();
        assertThat(service(ClientCredential.fromPkcs12(registered.pkcs12(password), password))
                        .refresh(entra.issueRefreshToken())
                        .accessToken())
                .isNotBlank();

        TestCertificates other = new TestCertificates();
        OAuthException e = catchThrowableOfType(
                OAuthException.class,
                () -> service(ClientCredential.fromPkcs12(other.pkcs12(password), password))
                        .clientCredentials());
        assertThat(e.failure()).isEqualTo(OAuthFailure.INVALID_CLIENT);
        assertThat(e.errorCode()).isEqualTo("AADSTS700027");
    }

    @Test
    void anUnreachableEntraIsUnavailableAndNotPermanent() throws Exception {
        URI closed = entra.baseUrl();
        entra.close();
        TokenService service = new TokenService(
                new OAuthClientSettings(
                        GraphCloud.GLOBAL,
                        closed,
                        EntraSimulator.CLIENT_ID,
                        EntraSimulator.TENANT,
                        ClientCredential.secret(EntraSimulator.SECRET)),
                http);
        OAuthException e = catchThrowableOfType(OAuthException.class, () -> service.refresh("rt"));
        assertThat(e.failure()).isEqualTo(OAuthFailure.UNAVAILABLE);
        assertThat(e.failure().isPermanent()).isFalse();
    }
}

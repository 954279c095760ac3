package io.mailgate.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;

/**
 * Talks to Entra ID's v2.0 token endpoint for one app registration: authorization code (with PKCE),
 * refresh token, and client credentials (app-only).
 *
 * <p>Why plain OAuth 2.0 calls rather than MSAL4J: MSAL4J keeps refresh tokens inside its token
 * cache and never hands them out, while mailgate must store each connection's refresh token
 * encrypted in its database and replace it whenever Entra rotates it. With MSAL4J that means
 * persisting and parsing its serialized cache (an internal format) per connection. MSAL4J also
 * insists on https authorities and, unless told otherwise, calls the public cloud for instance
 * discovery, and its default HTTP client takes proxy credentials only from the JVM-wide
 * {@link java.net.Authenticator}; a connection needs its own proxy, credentials and trust. The
 * token endpoint protocol is small and documented (RFC 6749, RFC 7636, RFC 7523 client assertions),
 * so this class speaks it over the connection's own HTTP client (its proxy and trust, from
 * {@link io.mailgate.http.ConnectionHttpClients}) and maps Entra's errors to {@link OAuthException}.
 *
 * <p>Nimbus oauth2-oidc-sdk was considered for this and not taken: its requests go out through
 * {@code HttpURLConnection}, which cannot speak TLS to an HTTPS proxy nor answer an NTLM proxy, so every request
 * would still have to be converted to and from httpclient5 here; the grant types, the RFC 7523 assertion and the
 * error mapping would remain ours, and it would not shorten the code.
 */
public final class TokenService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");
    /** A token response is a few kilobytes; a larger answer is not Entra's. */
    private static final int MAX_RESPONSE = 1024 * 1024;

    private final OAuthClientSettings settings;
    private final CloseableHttpClient http;
    private final Clock clock;

    /**
     * @param http the connection's client (its proxy and trust), from
     *             {@link io.mailgate.http.ConnectionHttpClients#create}
     */
    public TokenService(OAuthClientSettings settings, CloseableHttpClient http) {
        this(settings, http, Clock.systemUTC());
    }

    TokenService(OAuthClientSettings settings, CloseableHttpClient http, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public OAuthClientSettings settings() {
        return settings;
    }

    /** Completes Grant Access: the code from /email-oauth and the verifier stored with its state. */
    public TokenResponse exchangeAuthorizationCode(String code, String codeVerifier, URI redirectUri)
            throws OAuthException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", Objects.requireNonNull(code, "code"));
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", Objects.requireNonNull(codeVerifier, "codeVerifier"));
        form.put("scope", AuthorizationRequests.delegatedScopes(settings.cloud()));
        return request(form);
    }

    /**
     * A new access token from a refresh token. The response's refresh token, when present, replaces
     * the stored one; when absent the stored one stays valid.
     */
    public TokenResponse refresh(String refreshToken) throws OAuthException {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw new OAuthException(
                    OAuthFailure.NEEDS_CONSENT,
                    null,
                    null,
                    "no refresh token stored: grant access to the mailbox first",
                    null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("scope", AuthorizationRequests.delegatedScopes(settings.cloud()));
        return request(form);
    }

    /** App-only access with the app's application permissions ({graph}/.default); needs a tenant id. */
    public TokenResponse clientCredentials() throws OAuthException {
        if (OAuthClientSettings.MULTI_TENANT.equals(settings.tenantSegment())) {
            throw new OAuthException(
                    OAuthFailure.CONFIGURATION, null, null, "app-only access needs the directory (tenant) id", null);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", settings.cloud().graphEndpoint() + "/.default");
        return request(form);
    }

    private TokenResponse request(Map<String, String> form) throws OAuthException {
        form.put("client_id", settings.clientId());
        if (settings.credential() instanceof ClientCredential.ClientSecret secret) {
            form.put("client_secret", secret.secret());
        } else if (settings.credential() instanceof ClientCredential.ClientCertificate certificate) {
            form.put("client_assertion_type", ClientAssertion.TYPE);
            form.put(
                    "client_assertion",
                    ClientAssertion.create(certificate, settings.clientId(), settings.tokenEndpoint(), clock));
        }
        List<NameValuePair> fields = new ArrayList<>();
        form.forEach((name, value) -> fields.add(new BasicNameValuePair(name, value)));
        HttpPost post = new HttpPost(settings.tokenEndpoint());
        post.setHeader("Accept", "application/json");
        post.setEntity(new UrlEncodedFormEntity(fields, StandardCharsets.UTF_8));
        int status;
        String body;
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            status = response.getCode();
            body = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8, MAX_RESPONSE);
        } catch (IOException | ParseException e) {
            throw new OAuthException(
                    OAuthFailure.UNAVAILABLE,
                    null,
                    null,
                    "cannot reach " + settings.tokenEndpoint().getHost() + ": " + e,
                    e);
        }
        JsonNode json = parse(body);
        if (status == 200 && json.hasNonNull("access_token")) {
            return new TokenResponse(
                    json.get("access_token").asText(),
                    json.hasNonNull("refresh_token") ? json.get("refresh_token").asText() : null,
                    clock.instant().plusSeconds(json.path("expires_in").asLong(3600)),
                    json.path("scope").asText(null),
                    IdTokens.username(json.path("id_token").asText(null)));
        }
        throw error(status, json);
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Maps Entra's error response (RFC 6749 §5.2 plus error_codes and suberror) to a typed failure. */
    static OAuthException error(int status, JsonNode json) {
        String error = json.path("error").asText(null);
        String description = firstLine(json.path("error_description").asText(null));
        String code = aadstsCode(json, description, error);
        String suberror = json.path("suberror").asText("");
        boolean has65001 = "AADSTS65001".equals(code);
        OAuthFailure failure;
        if (error == null) {
            failure = status >= 500 || status == 429 ? OAuthFailure.UNAVAILABLE : OAuthFailure.CONFIGURATION;
            description = description != null ? description : "token endpoint answered HTTP " + status;
        } else {
            failure = switch (error) {
                case "invalid_grant", "interaction_required" ->
                    has65001 || "consent_required".equals(suberror)
                            ? OAuthFailure.CONSENT_REQUIRED
                            : OAuthFailure.NEEDS_CONSENT;
                case "consent_required" -> OAuthFailure.CONSENT_REQUIRED;
                case "invalid_client" -> OAuthFailure.INVALID_CLIENT;
                case "temporarily_unavailable", "server_error" -> OAuthFailure.UNAVAILABLE;
                default -> status >= 500 ? OAuthFailure.UNAVAILABLE : OAuthFailure.CONFIGURATION;
            };
        }
        return new OAuthException(failure, error, code, description, null);
    }

    private static String aadstsCode(JsonNode json, String description, String error) {
        JsonNode codes = json.path("error_codes");
        if (codes.isArray() && !codes.isEmpty()) {
            return "AADSTS" + codes.get(0).asText();
        }
        if (description != null) {
            Matcher m = AADSTS.matcher(description);
            if (m.find()) {
                return m.group();
            }
        }
        return error;
    }

    /** Entra appends trace and correlation ids on further lines; the first line is the message. */
    private static String firstLine(String description) {
        if (description == null) {
            return null;
        }
        int end = description.indexOf('\r');
        int nl = description.indexOf('\n');
        if (end < 0 || (nl >= 0 && nl < end)) {
            end = nl;
        }
        return (end < 0 ? description : description.substring(0, end)).trim();
    }
}

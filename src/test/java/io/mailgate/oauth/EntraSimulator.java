package io.mailgate.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Microsoft Entra ID v2.0 endpoint simulator after Microsoft's documentation of the authorization
 * code flow with PKCE, refresh tokens, client credentials, client assertions, and the error
 * responses (error, error_description with trace ids, error_codes …). One app registration, one
 * tenant, one user; the user consents at once unless told to deny.
 */
public final class EntraSimulator implements AutoCloseable {

    public static final String TENANT = "11111111-2222-3333-4444-555555555555";
    public static final String CLIENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    public static final String SECRET = "s3cr3t~value";
    public static final String USERNAME = "soc@contoso.example";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final Map<String, String[]> codes = new ConcurrentHashMap<>(); // code -> {challenge, redirectUri}
    private final Set<String> validRefreshTokens = ConcurrentHashMap.newKeySet();
    /** The account each authorization code, refresh token and access token was issued to. */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();

    private volatile String signInAs = USERNAME;
    private volatile Map<String, String> lastAuthorize = Map.of();
    private final Map<String, String> accessTokenScopes = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile PublicKey certificateKey;
    private volatile boolean denyConsent;
    private volatile boolean adminConsentMissing;
    private volatile boolean rotateRefreshTokens = true;
    private volatile long accessTokenLifetimeSeconds = 3599;

    public EntraSimulator() {
        this(null, null);
    }

    /** Served over HTTPS only, with the certificate of this PKCS#12 keystore, when one is given. */
    public EntraSimulator(Path keystore, String password) {
        server = new WireMockServer(
                keystore == null
                        ? options().dynamicPort().extensions(new Transformer())
                        : options()
                                .httpDisabled(true)
                                .dynamicHttpsPort()
                                .keystoreType("PKCS12")
                                .keystorePath(keystore.toString())
                                .keystorePassword(password)
                                .keyManagerPassword(password)
                                .extensions(new Transformer()));
        server.start();
        server.stubFor(get(urlPathMatching("/[^/]+/oauth2/v2.0/authorize"))
                .willReturn(aResponse().withTransformers("entra")));
        server.stubFor(post(urlPathMatching("/[^/]+/oauth2/v2.0/token"))
                .willReturn(aResponse().withTransformers("entra")));
    }

    public URI baseUrl() {
        return URI.create(server.baseUrl());
    }

    public WireMockServer server() {
        return server;
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** A refresh token the user got earlier (as if stored by a previous Grant Access). */
    public String issueRefreshToken() {
        return issueRefreshToken(USERNAME);
    }

    /** A refresh token {@code account} got earlier. */
    public String issueRefreshToken(String account) {
        String rt = "0.ARt-" + UUID.randomUUID();
        validRefreshTokens.add(rt);
        accounts.put(rt, account);
        return rt;
    }

    /**
     * The account the person at the browser picks on Entra's sign-in page from now on, whatever login_hint said:
     * a hint only pre-fills the page, and the account picker lets anyone sign in as anyone they can.
     */
    public void signInAs(String account) {
        this.signInAs = account;
    }

    /** The account an access token (or refresh token) was issued to; null for app-only tokens and unknown ones. */
    public String accountOf(String token) {
        return accounts.get(token);
    }

    /** The object id (oid) Entra gives an account: stable per account. */
    public static String oidOf(String account) {
        return UUID.nameUUIDFromBytes(account.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** The query of the last authorization request. */
    public Map<String, String> lastAuthorizeQuery() {
        return lastAuthorize;
    }

    /** The user revoked the sessions (or the token expired): every refresh token is dead. */
    public void revokeRefreshTokens() {
        validRefreshTokens.clear();
    }

    public void registerCertificate(PublicKey key) {
        this.certificateKey = key;
    }

    public void denyConsent(boolean deny) {
        this.denyConsent = deny;
    }

    public void adminConsentMissing(boolean missing) {
        this.adminConsentMissing = missing;
    }

    public void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    public void accessTokenLifetime(long seconds) {
        this.accessTokenLifetimeSeconds = seconds;
    }

    /** The scopes an access token was issued for, or null if Entra never issued it. */
    public String scopesOf(String accessToken) {
        return accessTokenScopes.get(accessToken);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "entra";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            var request = event.getRequest();
            String path = URI.create(request.getUrl()).getPath();
            String tenant = path.split("/")[1];
            if (!tenant.equals(TENANT) && !tenant.equals("organizations")) {
                return error(
                        400,
                        "invalid_request",
                        90002,
                        "AADSTS90002: Tenant '" + tenant
                                + "' not found. Check to make sure you have the correct tenant ID.");
            }
            return path.endsWith("/authorize")
                    ? authorize(query(URI.create(request.getUrl()).getRawQuery()))
                    : token(query(request.getBodyAsString()));
        }
    }

    private ResponseDefinition authorize(Map<String, String> q) {
        lastAuthorize = Map.copyOf(q);
        String redirect = q.get("redirect_uri");
        if (!CLIENT_ID.equals(q.get("client_id"))) {
            return html(
                    400,
                    "AADSTS700016: Application with identifier '" + q.get("client_id")
                            + "' was not found in the directory.");
        }
        if (redirect == null) {
            return html(400, "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.");
        }
        Map<String, String> answer = new LinkedHashMap<>();
        if (denyConsent) {
            answer.put("error", "access_denied");
            answer.put("error_description", "AADSTS65004: User declined to consent to access the app.");
        } else if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
            answer.put("error", "invalid_request");
            answer.put(
                    "error_description",
                    "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.");
        } else {
            String code = "0.AUoA-code-" + UUID.randomUUID();
            codes.put(code, new String[] {q.get("code_challenge"), redirect, q.getOrDefault("scope", "")});
            accounts.put(code, signInAs);
            answer.put("code", code);
        }
        if (q.get("state") != null) {
            answer.put("state", q.get("state"));
        }
        String location = redirect + (redirect.contains("?") ? "&" : "?") + form(answer);
        return aResponse().withStatus(302).withHeader("Location", location).build();
    }

    private ResponseDefinition token(Map<String, String> f) {
        tokenRequests.incrementAndGet();
        if (!CLIENT_ID.equals(f.get("client_id"))) {
            return error(
                    400,
                    "unauthorized_client",
                    700016,
                    "AADSTS700016: Application with identifier '" + f.get("client_id")
                            + "' was not found in the directory '" + TENANT + "'.");
        }
        if (f.containsKey("client_assertion")) {
            if (!assertionValid(f.get("client_assertion"), f.get("client_assertion_type"))) {
                return error(
                        401,
                        "invalid_client",
                        700027,
                        "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.");
            }
        } else if (!SECRET.equals(f.get("client_secret"))) {
            return error(
                    401,
                    "invalid_client",
                    7000215,
                    "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                            + CLIENT_ID + "'.");
        }
        String grant = f.getOrDefault("grant_type", "");
        switch (grant) {
            case "authorization_code": {
                String[] issued = codes.remove(f.getOrDefault("code", ""));
                if (issued == null) {
                    return error(
                            400,
                            "invalid_grant",
                            70008,
                            "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
                }
                if (!issued[1].equals(f.get("redirect_uri"))) {
                    return error(
                            400,
                            "invalid_grant",
                            50011,
                            "AADSTS50011: The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.");
                }
                if (!issued[0].equals(s256(f.getOrDefault("code_verifier", "")))) {
                    return error(
                            400,
                            "invalid_grant",
                            501481,
                            "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.");
                }
                return tokens(f.get("scope"), true, accounts.get(f.getOrDefault("code", "")));
            }
            case "refresh_token": {
                String rt = f.getOrDefault("refresh_token", "");
                if (!validRefreshTokens.contains(rt)) {
                    return error(
                            400,
                            "invalid_grant",
                            70008,
                            "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
                }
                if (adminConsentMissing) {
                    ObjectNode body = errorBody(
                            "invalid_grant",
                            65001,
                            "AADSTS65001: The user or administrator has not consented to use the application with ID '"
                                    + CLIENT_ID
                                    + "' named 'mailgate'. Send an interactive authorization request for this user and resource.");
                    body.put("suberror", "consent_required");
                    return aResponse()
                            .withStatus(400)
                            .withHeader("Content-Type", "application/json; charset=utf-8")
                            .withBody(body.toString())
                            .build();
                }
                if (rotateRefreshTokens) {
                    validRefreshTokens.remove(rt);
                }
                return tokens(f.get("scope"), rotateRefreshTokens, accounts.getOrDefault(rt, USERNAME));
            }
            case "client_credentials": {
                String scope = f.getOrDefault("scope", "");
                if (!scope.endsWith("/.default")) {
                    return error(
                            400,
                            "invalid_scope",
                            1002012,
                            "AADSTS1002012: The provided value for scope " + scope
                                    + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
                }
                if (adminConsentMissing) {
                    return error(
                            400,
                            "invalid_grant",
                            65001,
                            "AADSTS65001: The user or administrator has not consented to use the application with ID '"
                                    + CLIENT_ID + "'.");
                }
                return tokens(scope, false, null);
            }
            default:
                return error(
                        400,
                        "unsupported_grant_type",
                        70003,
                        "AADSTS70003: The app requested an unsupported grant type '" + grant + "'.");
        }
    }

    private ResponseDefinition tokens(String scope, boolean withRefreshToken, String account) {
        ObjectNode body = JSON.createObjectNode();
        String accessToken = "eyJ0eXAiOiJKV1QiLCJub25jZSI6.at-" + UUID.randomUUID();
        accessTokenScopes.put(accessToken, scope == null ? "" : scope);
        if (account != null) {
            accounts.put(accessToken, account);
        }
        body.put("token_type", "Bearer");
        body.put(
                "scope",
                scope == null
                        ? ""
                        : scope.replace(" offline_access", "")
                                .replace(" openid", "")
                                .replace(" profile", ""));
        body.put("expires_in", accessTokenLifetimeSeconds);
        body.put("ext_expires_in", accessTokenLifetimeSeconds);
        body.put("access_token", accessToken);
        if (withRefreshToken) {
            body.put("refresh_token", issueRefreshToken(account == null ? USERNAME : account));
            body.put("id_token", idToken(account == null ? USERNAME : account));
        }
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Cache-Control", "no-store, no-cache")
                .withBody(body.toString())
                .build();
    }

    private static String idToken(String account) {
        long now = Instant.now().getEpochSecond();
        String header = b64("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"sim\"}");
        String claims = b64("{\"aud\":\"" + CLIENT_ID + "\",\"iss\":\"https://login.microsoftonline.com/" + TENANT
                + "/v2.0\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + ",\"name\":\"SOC Mailbox\",\"oid\":\"" + oidOf(account)
                + "\",\"preferred_username\":\""
                + account + "\",\"tid\":\"" + TENANT + "\",\"ver\":\"2.0\"}");
        return header + "." + claims + ".c2lnbmF0dXJl";
    }

    private boolean assertionValid(String jwt, String type) {
        if (certificateKey == null || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(type)) {
            return false;
        }
        try {
            String[] parts = jwt.split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(certificateKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            var claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            var header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]))
                    && header.hasNonNull("x5t#S256")
                    && CLIENT_ID.equals(claims.path("iss").asText())
                    && CLIENT_ID.equals(claims.path("sub").asText())
                    && claims.path("aud").asText().endsWith("/oauth2/v2.0/token")
                    && claims.path("exp").asLong() > Instant.now().getEpochSecond();
        } catch (Exception e) {
            return false;
        }
    }

    private static ObjectNode errorBody(String error, int code, String description) {
        ObjectNode body = JSON.createObjectNode();
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        body.put("error", error);
        body.put(
                "error_description",
                description + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + correlation
                        + "\r\nTimestamp: 2026-11-27 02:10:11Z");
        body.putArray("error_codes").add(code);
        body.put("timestamp", "2026-11-27 02:10:11Z");
        body.put("trace_id", trace);
        body.put("correlation_id", correlation);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        return body;
    }

    private static ResponseDefinition error(int status, String error, int code, String description) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(errorBody(error, code, description).toString())
                .build();
    }

    private static ResponseDefinition html(int status, String message) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/html")
                .withBody("<html><body>" + message + "</body></html>")
                .build();
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, String> query(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    private static String form(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}

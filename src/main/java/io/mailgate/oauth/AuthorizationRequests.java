package io.mailgate.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Builds the authorization-code-with-PKCE request of Grant Access and Switch Account
 * (RFC 7636, S256). Each request has a fresh random state and code verifier.
 */
public final class AuthorizationRequests {

    /** The delegated permissions the connection needs (QRadar SOAR asks for the same). */
    public static final List<String> GRAPH_SCOPES = List.of("Mail.ReadWrite", "Mail.ReadWrite.Shared", "User.Read");

    /**
     * offline_access yields a refresh token; openid and profile yield an id token naming the account,
     * so the account's username is known without another call.
     */
    public static final List<String> OIDC_SCOPES = List.of("offline_access", "openid", "profile");

    private final OAuthClientSettings settings;

    public AuthorizationRequests(OAuthClientSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The scopes of the delegated flow, qualified with the cloud's Graph resource outside the global cloud. */
    public static String delegatedScopes(GraphCloud cloud) {
        String graph = GRAPH_SCOPES.stream().map(s -> cloud.scopePrefix() + s).collect(Collectors.joining(" "));
        return graph + " " + String.join(" ", OIDC_SCOPES);
    }

    /**
     * @param redirectUri   mailgate's {@code …/email-oauth}, as registered on the app
     * @param loginHint     the mailbox's account to preselect, or null; not sent with selectAccount
     * @param selectAccount true for Switch Account: Entra shows the account picker even when signed in
     */
    public AuthorizationRequest create(URI redirectUri, String loginHint, boolean selectAccount) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        String state = Base64Url.random(32);
        String verifier = Base64Url.random(32);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", settings.clientId());
        query.put("response_type", "code");
        query.put("redirect_uri", redirectUri.toString());
        query.put("response_mode", "query");
        query.put("scope", delegatedScopes(settings.cloud()));
        query.put("state", state);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        if (selectAccount) {
            // Switch Account: the picker, and no hint with it (MSAL drops every account hint with select_account,
            // and Entra may refuse the pair).
            query.put("prompt", "select_account");
        } else if (loginHint != null && !loginHint.isBlank()) {
            query.put("login_hint", loginHint);
        }
        String encoded = query.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)
                                .replace("+", "%20"))
                .collect(Collectors.joining("&"));
        return new AuthorizationRequest(URI.create(settings.authorizeEndpoint() + "?" + encoded), state, verifier);
    }

    /** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))). */
    static String challenge(String verifier) {
        try {
            return Base64Url.encode(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

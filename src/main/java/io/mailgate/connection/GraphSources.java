package io.mailgate.connection;

import io.mailgate.component.msgraph.GraphHttpClients;
import io.mailgate.component.msgraph.GraphProxy;
import io.mailgate.oauth.ClientCredential;
import io.mailgate.oauth.GraphCloud;
import io.mailgate.oauth.OAuthClientSettings;
import io.mailgate.oauth.OAuthException;
import io.mailgate.oauth.OAuthSettings;
import io.mailgate.oauth.RefreshTokenStore;
import io.mailgate.oauth.RefreshingAccessTokenProvider;
import io.mailgate.oauth.TokenService;
import io.mailgate.tls.TrustMaterial;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.springframework.stereotype.Component;

/**
 * The Microsoft identity and Graph objects of an OAUTH connection: one HTTP client (proxy, per-connection
 * trust) for Entra ID and Graph alike, and an access-token provider on the stored refresh token.
 */
@Component
public class GraphSources {

    private final ConnectionService connections;
    private final ConnectionStates states;
    private final OAuthSettings settings;

    GraphSources(ConnectionService connections, ConnectionStates states, OAuthSettings settings) {
        this.connections = connections;
        this.states = states;
        this.settings = settings;
    }

    public OAuthClientSettings clientSettings(ConnectionEntity c) {
        var oauth = c.getSettings().oauth();
        GraphCloud cloud = GraphCloud.ofGraphEndpoint(oauth.endpoint()).orElse(GraphCloud.GLOBAL);
        ClientCredential credential = oauth.credentialType() == ConnectionSettings.OAuthCredentialType.CERTIFICATE
                ? certificate(connections.secret(c, SecretName.OAUTH_CERTIFICATE).orElseThrow(() ->
                        new IllegalStateException("No certificate is installed (PUT …/oauth/certificate).")),
                        connections.secret(c, SecretName.OAUTH_CERTIFICATE_PASSWORD).orElse(""))
                : ClientCredential.secret(connections.secret(c, SecretName.OAUTH_CLIENT_SECRET).orElse(""));
        return new OAuthClientSettings(cloud, settings.authorityOverride(), oauth.clientId(), oauth.tenantId(),
                credential);
    }

    /** PEM text (certificate and private key) or a PKCS#12 file in base64, as stored by the upload. */
    public static ClientCredential certificate(String material, String password) {
        char[] secret = password == null || password.isBlank() ? null : password.toCharArray();
        try {
            return material.strip().startsWith("-----BEGIN")
                    ? ClientCredential.fromPem(material, secret)
                    : ClientCredential.fromPkcs12(java.util.Base64.getDecoder().decode(material), secret);
        } catch (Exception e) {
            throw new IllegalArgumentException("The certificate cannot be opened: " + e.getMessage());
        }
    }

    public HttpClient httpClient(ConnectionEntity c, SSLContext sslContext) {
        var p = c.getSettings().proxy();
        GraphProxy proxy = p == null ? null : new GraphProxy(GraphProxy.Protocol.valueOf(p.protocol().name()), p.host(),
                p.port(), p.username(), connections.secret(c, SecretName.PROXY_PASSWORD).orElse(null));
        return GraphHttpClients.create(proxy, sslContext);
    }

    public HttpClient httpClient(ConnectionEntity c, List<X509Certificate> trusted) {
        return httpClient(c, TrustMaterial.sslContext(trusted));
    }

    String baseUrl(ConnectionEntity c) {
        return settings.graphOverride() != null ? settings.graphOverride() : c.getSettings().oauth().endpoint();
    }

    /**
     * primary\shared reads the shared mailbox (/users/shared); a plain address is the signed-in account
     * (/me), except with app-only access, where there is no signed-in account and the address is the mailbox.
     */
    static String mailbox(ConnectionEntity c) {
        var oauth = c.getSettings().oauth();
        String address = oauth.emailAddress();
        int slash = address.lastIndexOf('\\');
        return slash >= 0 ? address.substring(slash + 1) : oauth.appOnly() ? address : "";
    }

    /** Application permissions: tokens from the client credentials grant, no refresh token, no account. */
    io.mailgate.oauth.AccessTokenProvider appOnlyTokenProvider(ConnectionEntity c, HttpClient http) {
        return new io.mailgate.oauth.ClientCredentialsAccessTokenProvider(new TokenService(clientSettings(c), http));
    }

    /** A token provider whose refresh token lives, encrypted, in the connection's secrets. */
    RefreshingAccessTokenProvider tokenProvider(ConnectionEntity c, HttpClient http) {
        long id = c.getId() == null ? -1 : c.getId();
        TokenService tokens = new TokenService(clientSettings(c), http);
        RefreshTokenStore store = new RefreshTokenStore() {
            @Override
            public String load() {
                return c.getId() == null ? connections.secret(c, SecretName.OAUTH_REFRESH_TOKEN).orElse(null)
                        : connections.currentSecret(id, SecretName.OAUTH_REFRESH_TOKEN).orElse(null);
            }

            @Override
            public void save(String refreshToken) {
                if (c.getId() != null) {
                    connections.saveRefreshToken(id, refreshToken);
                }
            }

            @Override
            public void grantLost(OAuthException e) {
                if (c.getId() != null) {
                    states.needsConsent(id, "Microsoft 365 no longer accepts the granted access ("
                            + (e.errorCode() == null ? e.error() : e.errorCode()) + "); use Grant Access again.");
                }
            }
        };
        return new RefreshingAccessTokenProvider(tokens, store);
    }
}

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
        if (oauth.credentialType() == ConnectionSettings.OAuthCredentialType.CERTIFICATE) {
            throw new IllegalStateException("Certificate credentials are not available in this version; use a client secret.");
        }
        ClientCredential credential = ClientCredential.secret(
                connections.secret(c, SecretName.OAUTH_CLIENT_SECRET).orElse(""));
        return new OAuthClientSettings(cloud, settings.authorityOverride(), oauth.clientId(), oauth.tenantId(),
                credential);
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

    /** primary\shared reads the shared mailbox (/users/shared); a plain address is the signed-in account (/me). */
    static String mailbox(ConnectionEntity c) {
        String address = c.getSettings().oauth().emailAddress();
        int slash = address.lastIndexOf('\\');
        return slash < 0 ? "" : address.substring(slash + 1);
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

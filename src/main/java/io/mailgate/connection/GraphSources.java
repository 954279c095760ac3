package io.mailgate.connection;

import io.mailgate.component.msgraph.GraphProxy;
import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import io.mailgate.oauth.AccessTokenProvider;
import io.mailgate.oauth.ClientCredential;
import io.mailgate.oauth.ClientCredentialsAccessTokenProvider;
import io.mailgate.oauth.GraphCloud;
import io.mailgate.oauth.OAuthClientSettings;
import io.mailgate.oauth.OAuthException;
import io.mailgate.oauth.OAuthFailure;
import io.mailgate.oauth.OAuthProperties;
import io.mailgate.oauth.RefreshTokenStore;
import io.mailgate.oauth.RefreshingAccessTokenProvider;
import io.mailgate.oauth.TokenService;
import io.mailgate.tls.TrustMaterial;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.stereotype.Component;

/**
 * The Microsoft identity and Graph objects of an OAUTH connection: one HTTP client (proxy, per-connection
 * trust) for Entra ID and Graph alike, and an access-token provider on the stored refresh token.
 */
@Component
public class GraphSources {

    private final ConnectionService connections;
    private final ConnectionStates states;
    private final OAuthProperties settings;

    GraphSources(ConnectionService connections, ConnectionStates states, OAuthProperties settings) {
        this.connections = connections;
        this.states = states;
        this.settings = settings;
    }

    public OAuthClientSettings clientSettings(ConnectionEntity c) {
        var oauth = c.getSettings().oauth();
        GraphCloud cloud = GraphCloud.ofGraphEndpoint(oauth.endpoint()).orElse(GraphCloud.GLOBAL);
        ClientCredential credential = oauth.credentialType() == ConnectionSettings.OAuthCredentialType.CERTIFICATE
                ? certificate(
                        connections
                                .secret(c, SecretName.OAUTH_CERTIFICATE)
                                .orElseThrow(() -> new IllegalStateException(
                                        "No certificate is installed (PUT …/oauth/certificate).")),
                        connections
                                .secret(c, SecretName.OAUTH_CERTIFICATE_PASSWORD)
                                .orElse(""))
                : ClientCredential.secret(
                        connections.secret(c, SecretName.OAUTH_CLIENT_SECRET).orElse(""));
        return new OAuthClientSettings(
                cloud, settings.authorityOverride(), oauth.clientId(), oauth.tenantId(), credential);
    }

    /** PEM text (certificate and private key) or a PKCS#12 file in base64, as stored by the upload. */
    public static ClientCredential certificate(String material, String password) {
        char[] secret = password == null || password.isBlank() ? null : password.toCharArray();
        try {
            return material.strip().startsWith("-----BEGIN")
                    ? ClientCredential.fromPem(material, secret)
                    : ClientCredential.fromPkcs12(Base64.getDecoder().decode(material), secret);
        } catch (Exception e) {
            throw new IllegalArgumentException("The certificate cannot be opened: " + e.getMessage());
        }
    }

    /** The connection's client for Entra ID and Graph: its trust, its proxy; close it when done. */
    public CloseableHttpClient httpClient(ConnectionEntity c, SSLContext sslContext) {
        var p = c.getSettings().proxy();
        GraphProxy proxy = p == null
                ? null
                : new GraphProxy(
                        GraphProxy.Protocol.valueOf(p.protocol().name()),
                        p.host(),
                        p.port(),
                        p.username(),
                        connections.secret(c, SecretName.PROXY_PASSWORD).orElse(null));
        return ConnectionHttpClients.create(HttpSettings.of(sslContext, proxy == null ? null : proxy.toProxyServer())
                .withUserAgent("mailgate-graph"));
    }

    public CloseableHttpClient httpClient(ConnectionEntity c, List<X509Certificate> trusted) {
        return httpClient(c, TrustMaterial.sslContext(trusted));
    }

    public String baseUrl(ConnectionEntity c) {
        return settings.graphOverride() != null
                ? settings.graphOverride()
                : c.getSettings().oauth().endpoint();
    }

    /** The Graph base URL of a connection (its national cloud, or the test override). */
    public String graphBaseUrl(ConnectionEntity c) {
        return baseUrl(c);
    }

    /**
     * Which mailbox Graph is asked for: primary\shared reads the shared mailbox (/users/shared); app-only access
     * and an account confirmed as a delegate read the configured address (/users/{address}); /me (the signed-in
     * account's own mailbox) only when the granted account was checked to BE the configured address.
     */
    public static String mailbox(ConnectionEntity c) {
        var oauth = c.getSettings().oauth();
        String address = oauth.emailAddress();
        int slash = address.lastIndexOf('\\');
        if (slash >= 0) {
            return address.substring(slash + 1);
        }
        if (oauth.appOnly()) {
            return address;
        }
        var account = c.getSettings().oauthAccount();
        boolean own = account != null && !account.delegate() && accountProblem(c) == null;
        return own ? "" : address;
    }

    /**
     * Why the granted account may not read the configured mailbox, or null when it may. Grants are checked when they
     * are made; this re-checks at run time, for grants stored before that check and for an address changed since.
     */
    static String accountProblem(ConnectionEntity c) {
        var oauth = c.getSettings().oauth();
        if (oauth == null || oauth.appOnly()) {
            return null;
        }
        String address = oauth.emailAddress().strip();
        var account = c.getSettings().oauthAccount();
        if (account == null) {
            return "The account that granted access is not known: use Grant Access again and sign in as "
                    + owner(address) + ".";
        }
        if (account.mailbox() != null) {
            return account.mailbox().strip().equalsIgnoreCase(address)
                    ? null
                    : "Access was granted for " + account.mailbox() + ", but the connection now reads " + address
                            + ": use Grant Access again and sign in as " + owner(address) + ".";
        }
        // Granted before the account was checked: only the mailbox's own account is trusted.
        return account.username() != null && account.username().strip().equalsIgnoreCase(owner(address))
                ? null
                : "Access was granted by "
                        + (account.username() == null ? "an account mailgate cannot name" : account.username())
                        + ", not by " + owner(address) + ", whose mailbox this connection reads;"
                        + " no mail is read until you use Grant Access again and sign in as " + owner(address) + ".";
    }

    private static String owner(String address) {
        int slash = address.lastIndexOf('\\');
        return slash >= 0 ? address.substring(0, slash) : address;
    }

    /** Application permissions: tokens from the client credentials grant, no refresh token, no account. */
    public AccessTokenProvider appOnlyTokenProvider(ConnectionEntity c, CloseableHttpClient http) {
        return new ClientCredentialsAccessTokenProvider(new TokenService(clientSettings(c), http));
    }

    /**
     * A token provider whose refresh token lives, encrypted, in the connection's secrets; one that refuses (and puts
     * the connection in NEEDS_CONSENT) when the granted account may not read the configured mailbox.
     */
    public AccessTokenProvider tokenProvider(ConnectionEntity c, CloseableHttpClient http) {
        String problem = accountProblem(c);
        if (problem != null) {
            if (c.getId() != null) {
                states.needsConsent(c.getId(), problem);
            }
            return () -> {
                if (c.getId() != null) {
                    states.needsConsent(c.getId(), problem);
                }
                throw new OAuthException(OAuthFailure.NEEDS_CONSENT, "account_mismatch", null, problem, null);
            };
        }
        return refreshingTokenProvider(c, http);
    }

    private RefreshingAccessTokenProvider refreshingTokenProvider(ConnectionEntity c, CloseableHttpClient http) {
        long id = c.getId() == null ? -1 : c.getId();
        TokenService tokens = new TokenService(clientSettings(c), http);
        RefreshTokenStore store = new RefreshTokenStore() {
            @Override
            public String load() {
                return c.getId() == null
                        ? connections.secret(c, SecretName.OAUTH_REFRESH_TOKEN).orElse(null)
                        : connections
                                .currentSecret(id, SecretName.OAUTH_REFRESH_TOKEN)
                                .orElse(null);
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
                    states.needsConsent(
                            id,
                            "Microsoft 365 no longer accepts the granted access ("
                                    + (e.errorCode() == null ? e.error() : e.errorCode())
                                    + "); use Grant Access again.");
                }
            }
        };
        return new RefreshingAccessTokenProvider(tokens, store);
    }
}

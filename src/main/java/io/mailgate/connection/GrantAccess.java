package io.mailgate.connection;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.component.msgraph.GraphConnectionTest;
import io.mailgate.component.msgraph.GraphException;
import io.mailgate.component.msgraph.GraphTokenException;
import io.mailgate.component.msgraph.MsGraphMailClient;
import io.mailgate.oauth.AccessTokenProvider;
import io.mailgate.oauth.AuthorizationCallback;
import io.mailgate.oauth.AuthorizationRequest;
import io.mailgate.oauth.AuthorizationRequests;
import io.mailgate.oauth.OAuthException;
import io.mailgate.oauth.OAuthProperties;
import io.mailgate.oauth.TokenResponse;
import io.mailgate.oauth.TokenService;
import io.mailgate.secret.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Grant Access and Switch Account: the authorization code flow with PKCE. The state is random, single-use,
 * expires, and is bound to the organization, the connection and the admin who started it; only its hash is
 * stored, and the PKCE verifier is stored encrypted.
 */
@Service
public class GrantAccess {

    /**
     * @param mailbox  the mailbox the connection reads
     * @param delegate true when the account read it as a delegate (full access), not as its own
     */
    record Completed(String username, String connection, String org, String mailbox, boolean delegate) {}

    private record Pending(long connectionId, String codeVerifier, Instant expiresAt) {}

    private final ConnectionService connections;
    private final GraphSources graph;
    private final OAuthProperties settings;
    private final SecretCipher cipher;
    private final JdbcTemplate jdbc;
    static final int MAX_CERTIFICATE_BYTES = 1024 * 1024;

    private final Clock clock = Clock.systemUTC();

    GrantAccess(
            ConnectionService connections,
            GraphSources graph,
            OAuthProperties settings,
            SecretCipher cipher,
            JdbcTemplate jdbc) {
        this.connections = connections;
        this.graph = graph;
        this.settings = settings;
        this.cipher = cipher;
        this.jdbc = jdbc;
    }

    /** Starts Grant Access (or Switch Account): the Microsoft sign-in URL the admin's browser goes to. */
    @Transactional
    public String start(OrgRef org, String apiName, String admin) {
        ConnectionEntity connection = connections.get(org, apiName);
        if (connection.getProtocol() != Protocol.OAUTH) {
            throw ApiProblem.conflict("Grant Access applies to OAUTH connections only.");
        }
        var oauth = connection.getSettings().oauth();
        String address = oauth.emailAddress();
        String primary = address.contains("\\") ? address.substring(0, address.lastIndexOf('\\')) : address;
        boolean switching = connection.hasSecret(SecretName.OAUTH_REFRESH_TOKEN);
        AuthorizationRequest request;
        try {
            request = new AuthorizationRequests(graph.clientSettings(connection))
                    .create(settings.redirectUri(), primary.contains("@") ? primary : null, switching);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw ApiProblem.validation("oauth", e.getMessage());
        }
        Instant now = clock.instant();
        String hash = hash(request.state());
        jdbc.update(
                "INSERT INTO oauth_grants (state_hash, org_id, connection_id, requested_by, code_verifier, "
                        + "created_at, expires_at, used) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)",
                hash,
                org.id(),
                connection.getId(),
                admin,
                cipher.encrypt(request.codeVerifier(), "oauth-grant:" + hash),
                Timestamp.from(now),
                Timestamp.from(now.plus(settings.grantTtl())));
        return request.authorizationUrl().toString();
    }

    /** Completes the sign-in the browser returns from; every failure is an {@link GrantFailed} with page text. */
    Completed complete(AuthorizationCallback callback) {
        if (callback.state() == null || callback.state().isBlank()) {
            throw new GrantFailed("The answer from Microsoft has no state. Start Grant Access again from mailgate.");
        }
        String hash = hash(callback.state());
        List<Pending> rows = jdbc.query(
                "SELECT connection_id, code_verifier, expires_at FROM oauth_grants WHERE state_hash = ?",
                (rs, i) -> new Pending(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant()),
                hash);
        if (rows.isEmpty()) {
            throw new GrantFailed("This sign-in is not known to mailgate. Start Grant Access again from mailgate.");
        }
        Pending row = rows.get(0);
        // One use only: whoever flips the flag first completes the grant; a replayed answer is refused.
        if (jdbc.update("UPDATE oauth_grants SET used = TRUE WHERE state_hash = ? AND used = FALSE", hash) != 1) {
            throw new GrantFailed("This sign-in was already used. Start Grant Access again from mailgate.");
        }
        if (clock.instant().isAfter(row.expiresAt())) {
            throw new GrantFailed("This sign-in expired. Start Grant Access again from mailgate.");
        }
        if (callback.isError()) {
            throw new GrantFailed(callback.describeError());
        }
        long connectionId = row.connectionId();
        ConnectionEntity connection =
                connections.byId(connectionId).orElseThrow(() -> new GrantFailed("The connection no longer exists."));
        String verifier = cipher.decryptString(row.codeVerifier(), "oauth-grant:" + hash);
        try (var http = graph.httpClient(connection, connections.trustedCertificates(connectionId))) {
            return complete(connection, verifier, callback, http);
        } catch (IOException closing) {
            throw new UncheckedIOException(closing); // closing a client in memory does not fail
        }
    }

    private Completed complete(
            ConnectionEntity connection, String verifier, AuthorizationCallback callback, CloseableHttpClient http) {
        long connectionId = connection.getId();
        TokenResponse tokens;
        try {
            tokens = new TokenService(graph.clientSettings(connection), http)
                    .exchangeAuthorizationCode(callback.code(), verifier, settings.redirectUri());
        } catch (OAuthException e) {
            throw new GrantFailed("Microsoft refused the sign-in: " + e.getMessage());
        }
        if (tokens.refreshToken() == null) {
            throw new GrantFailed(
                    "Microsoft granted no refresh token; the app registration must allow offline_access.");
        }
        Account account = checkAccount(connection, http, tokens);
        connections.grantAccount(
                connectionId,
                tokens.refreshToken(),
                account.username(),
                connection.getSettings().oauth().emailAddress(),
                account.delegate());
        return new Completed(
                account.username(),
                connection.getApiName(),
                connection.getOrgHandle(),
                account.mailbox(),
                account.delegate());
    }

    private record Account(String username, String mailbox, boolean delegate) {}

    /**
     * Whoever signs in at Microsoft may pick any account (login_hint is only a hint; the picker offers every
     * account). The grant is accepted only for the connection's own account, or for an account that is shown to have
     * full access to the connection's mailbox (it then reads that mailbox as a delegate). Anything else is refused
     * and nothing is stored: mailgate never reads a mailbox other than the configured one.
     */
    private Account checkAccount(ConnectionEntity connection, CloseableHttpClient http, TokenResponse tokens) {
        var oauth = connection.getSettings().oauth();
        String address = oauth.emailAddress().strip();
        int slash = address.lastIndexOf('\\');
        String owner = slash >= 0 ? address.substring(0, slash) : address; // whose credentials: the primary account
        String mailbox = slash >= 0 ? address.substring(slash + 1) : address; // what is read
        AccessTokenProvider granted = tokens::accessToken;
        String base = graph.graphBaseUrl(connection);
        MsGraphMailClient.SignedInUser user;
        try {
            user = new MsGraphMailClient(http, base, null, granted).signedInUser();
        } catch (GraphException | GraphTokenException e) {
            // Graph unreachable: the id token's name is all there is; it is compared the same way.
            user = new MsGraphMailClient.SignedInUser(null, tokens.username(), null);
        }
        String signedIn = user.userPrincipalName() != null
                ? user.userPrincipalName()
                : user.mail() != null ? user.mail() : tokens.username();
        if (signedIn == null) {
            throw new GrantFailed("mailgate cannot tell which account signed in (Microsoft named none), so it stored"
                    + " nothing. Start Grant Access again and sign in as " + owner + ".");
        }
        if (user.is(owner)
                || (user.userPrincipalName() == null && user.mail() == null && signedIn.equalsIgnoreCase(owner))) {
            return new Account(signedIn, mailbox, false);
        }
        GraphConnectionTest delegateAccess =
                new MsGraphMailClient(http, base, mailbox, granted).testConnection(oauth.sourceFolder());
        if (delegateAccess.ok()) {
            return new Account(signedIn, mailbox, true);
        }
        throw new GrantFailed("You signed in as " + signedIn + ", but connection " + connection.getApiName()
                + " reads the mailbox " + mailbox
                + (owner.equalsIgnoreCase(mailbox) ? "" : " with the account " + owner)
                + ", and " + signedIn
                + " has no access to it. Nothing was stored and no mail was read. Start Grant Access"
                + " again and choose " + owner + " in Microsoft's account picker, or give " + signedIn
                + " full access to " + mailbox + " first.");
    }

    /**
     * The Entra app's certificate credential: a PEM with certificate and private key, or a .pfx/.p12, and its
     * password when the key is protected. Checked to open before it is stored; errors name {@code file}.
     */
    public void installCertificate(OrgRef org, String apiName, byte[] file, String password) {
        if (file == null || file.length == 0) {
            throw ApiProblem.validation("file", "is required: a PEM or .pfx/.p12 certificate with its key");
        }
        if (file.length > MAX_CERTIFICATE_BYTES) {
            throw ApiProblem.validation("file", "is larger than 1 MB");
        }
        String text = new String(file, StandardCharsets.US_ASCII);
        String material = text.strip().startsWith("-----BEGIN")
                ? text
                : Base64.getEncoder().encodeToString(file);
        try {
            GraphSources.certificate(material, password);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation("file", e.getMessage());
        }
        connections.installOAuthCertificate(org, apiName, material, password);
    }

    static String hash(String state) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class GrantFailed extends RuntimeException {
        GrantFailed(String message) {
            super(message);
        }
    }
}

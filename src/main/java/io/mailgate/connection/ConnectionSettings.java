package io.mailgate.connection;

import io.mailgate.imap.ImapEncryption;
import java.time.Instant;
import java.util.List;

/**
 * Everything about a connection except its identity and its secrets, stored as JSON beside the connection.
 * Only the block of the chosen protocol is set. Secrets live in {@code connection_secrets}, encrypted.
 */
public record ConnectionSettings(
        Imap imap,
        Exchange exchange,
        OAuth oauth,
        Proxy proxy,
        Decryption decryption,
        IncidentPolicy incidentPolicy,
        Polling polling,
        OAuthAccount oauthAccount) {

    public record Imap(String host, int port, String emailAddress, ImapEncryption encryption, String sourceFolder) {}

    public record Exchange(String endpoint, String emailAddress, String sourceFolder) {}

    /**
     * @param appOnly                application permissions (client credentials) instead of a signed-in
     *                               account: for unattended mailboxes; needs a tenant id, and reads the mailbox
     *                               by its address
     * @param clientSecretExpiresAt  when the client secret expires, as Entra showed it at creation (the token
     *                               endpoint never tells), so that credential health can warn in time
     */
    public record OAuth(
            OAuthApiType apiType,
            String endpoint,
            String clientId,
            String tenantId,
            OAuthCredentialType credentialType,
            String emailAddress,
            String sourceFolder,
            boolean appOnly,
            Instant clientSecretExpiresAt) {}

    public record Proxy(ProxyProtocol protocol, String host, int port, String username) {}

    /**
     * @param keys what is known about the installed decryption keys (the key material itself is a secret)
     */
    public record Decryption(boolean enabled, List<DecryptionKeyInfo> keys) {
        public Decryption {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }
    }

    /** An installed decryption key as admins see it: never the key. */
    public record DecryptionKeyInfo(
            String kind,
            String subject,
            String issuer,
            Instant notAfter,
            String sha256,
            List<String> warnings,
            Instant installedAt) {}

    /**
     * The Microsoft 365 account that granted access (Grant Access / Switch Account); its token is a secret.
     *
     * @param mailbox  the connection's emailAddress the account was checked against when it granted access (null for
     *                 grants stored before that check): the grant reads this mailbox and no other
     * @param delegate true when the account is not the mailbox's own but was found to have full access to it, so the
     *                 mailbox is read as /users/{address}; false when it is the mailbox's own account (/me)
     */
    public record OAuthAccount(String username, Instant grantedAt, String mailbox, boolean delegate) {

        public OAuthAccount(String username, Instant grantedAt) {
            this(username, grantedAt, null, false);
        }
    }

    public ConnectionSettings withDecryption(Decryption decryption) {
        return new ConnectionSettings(imap, exchange, oauth, proxy, decryption, incidentPolicy, polling, oauthAccount);
    }

    public ConnectionSettings withOAuthAccount(OAuthAccount account) {
        return new ConnectionSettings(imap, exchange, oauth, proxy, decryption, incidentPolicy, polling, account);
    }

    public ConnectionSettings withOAuth(OAuth changed) {
        return new ConnectionSettings(
                imap, exchange, changed, proxy, decryption, incidentPolicy, polling, oauthAccount);
    }

    public enum OAuthApiType {
        MS_GRAPH,
        EWS
    }

    public enum OAuthCredentialType {
        CLIENT_SECRET,
        CERTIFICATE
    }

    public enum ProxyProtocol {
        HTTP,
        HTTPS
    }
}

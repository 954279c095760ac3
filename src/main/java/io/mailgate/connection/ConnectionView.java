package io.mailgate.connection;

import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.ConnectionSettings.ProxyProtocol;
import io.mailgate.imap.ImapEncryption;
import java.time.Instant;
import java.util.List;

/** A connection as the API shows it: secrets only as "set" flags, never their values. */
public record ConnectionView(
        String apiName,
        String name,
        String description,
        boolean enabled,
        Protocol protocol,
        Imap imap,
        Exchange exchange,
        OAuth oauth,
        Proxy proxy,
        Decryption decryption,
        IncidentPolicy incidentPolicy,
        Polling polling,
        String routeId,
        Instant createdAt,
        Instant updatedAt) {

    public record Imap(
            String host,
            int port,
            String emailAddress,
            boolean passwordSet,
            ImapEncryption encryption,
            String sourceFolder) {}

    public record Exchange(String endpoint, String emailAddress, boolean passwordSet, String sourceFolder) {}

    public record OAuth(
            OAuthApiType apiType,
            String endpoint,
            String clientId,
            String tenantId,
            OAuthCredentialType credentialType,
            boolean clientSecretSet,
            boolean certificateSet,
            String emailAddress,
            String sourceFolder,
            boolean appOnly,
            Instant clientSecretExpiresAt,
            Account account) {}

    public record Account(boolean granted, String username, Instant grantedAt) {}

    public record Proxy(ProxyProtocol protocol, String host, int port, String username, boolean passwordSet) {}

    /** subject and notAfter are those of the S/MIME key, else of the PGP key (API.md's shape). */
    public record Decryption(
            boolean enabled,
            boolean keyInstalled,
            String subject,
            Instant notAfter,
            List<ConnectionSettings.DecryptionKeyInfo> keys) {}

    public static ConnectionView of(ConnectionEntity c) {
        ConnectionSettings s = c.getSettings();
        Imap imap = s.imap() == null
                ? null
                : new Imap(
                        s.imap().host(),
                        s.imap().port(),
                        s.imap().emailAddress(),
                        c.hasSecret(SecretName.IMAP_PASSWORD),
                        s.imap().encryption(),
                        s.imap().sourceFolder());
        Exchange exchange = s.exchange() == null
                ? null
                : new Exchange(
                        s.exchange().endpoint(),
                        s.exchange().emailAddress(),
                        c.hasSecret(SecretName.EXCHANGE_PASSWORD),
                        s.exchange().sourceFolder());
        OAuth oauth = s.oauth() == null
                ? null
                : new OAuth(
                        s.oauth().apiType(),
                        s.oauth().endpoint(),
                        s.oauth().clientId(),
                        s.oauth().tenantId(),
                        s.oauth().credentialType(),
                        c.hasSecret(SecretName.OAUTH_CLIENT_SECRET),
                        c.hasSecret(SecretName.OAUTH_CERTIFICATE),
                        s.oauth().emailAddress(),
                        s.oauth().sourceFolder(),
                        s.oauth().appOnly(),
                        s.oauth().clientSecretExpiresAt(),
                        new Account(
                                c.hasSecret(SecretName.OAUTH_REFRESH_TOKEN),
                                s.oauthAccount() == null
                                        ? null
                                        : s.oauthAccount().username(),
                                s.oauthAccount() == null
                                        ? null
                                        : s.oauthAccount().grantedAt()));
        Proxy proxy = s.proxy() == null
                ? null
                : new Proxy(
                        s.proxy().protocol(),
                        s.proxy().host(),
                        s.proxy().port(),
                        s.proxy().username(),
                        c.hasSecret(SecretName.PROXY_PASSWORD));
        var keys = s.decryption() == null
                ? List.<ConnectionSettings.DecryptionKeyInfo>of()
                : s.decryption().keys();
        var shown = keys.stream()
                .filter(k -> "PKCS12".equals(k.kind()))
                .findFirst()
                .or(() -> keys.stream().findFirst());
        Decryption decryption = new Decryption(
                s.decryption() != null && s.decryption().enabled(),
                !keys.isEmpty(),
                shown.map(ConnectionSettings.DecryptionKeyInfo::subject).orElse(null),
                shown.map(ConnectionSettings.DecryptionKeyInfo::notAfter).orElse(null),
                keys);
        return new ConnectionView(
                c.getApiName(),
                c.getName(),
                c.getDescription(),
                c.isEnabled(),
                c.getProtocol(),
                imap,
                exchange,
                oauth,
                proxy,
                decryption,
                s.incidentPolicy(),
                s.polling(),
                c.routeId(),
                c.getCreatedAt(),
                c.getUpdatedAt());
    }
}

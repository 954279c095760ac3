package io.mailgate.connection;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.api.ApiProblem.FieldError;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.imap.ImapEncryption;
import io.mailgate.secret.SecretCipher;
import io.mailgate.tls.CertificateInfo;
import io.mailgate.tls.Certificates;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, changing and removing connections, with their secrets encrypted and their routes following. */
@Service
public class ConnectionService {

    private final ConnectionRepository connections;
    private final TrustedCertificateRepository trusted;
    private final SecretCipher cipher;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ConnectionValidator validator;

    ConnectionService(
            ConnectionRepository connections,
            TrustedCertificateRepository trusted,
            SecretCipher cipher,
            ApplicationEventPublisher events,
            Optional<Clock> clock,
            ConnectionValidator validator) {
        this.validator = validator;
        this.connections = connections;
        this.trusted = trusted;
        this.cipher = cipher;
        this.events = events;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Transactional(readOnly = true)
    public List<ConnectionEntity> list(OrgRef org) {
        return connections.findByOrgIdOrderByApiName(org.id());
    }

    @Transactional(readOnly = true)
    public ConnectionEntity get(OrgRef org, String apiName) {
        return connections
                .findByOrgIdAndApiName(org.id(), apiName)
                .orElseThrow(() -> ApiProblem.notFound("No connection named " + apiName + "."));
    }

    @Transactional
    public ConnectionEntity create(OrgRef org, ConnectionRequest request) {
        rejectInvalid(validator.validate(request, null));
        if (connections.findByOrgIdAndApiName(org.id(), request.apiName()).isPresent()) {
            throw new ApiProblem(
                    HttpStatus.CONFLICT,
                    "Conflict",
                    "A connection named " + request.apiName() + " already exists.",
                    List.of(new FieldError("apiName", "is already used in this organization")));
        }
        ConnectionEntity entity = new ConnectionEntity(org.id(), org.handle(), request.apiName(), clock.instant());
        apply(entity, request);
        try {
            entity = connections.saveAndFlush(entity);
        } catch (DataIntegrityViolationException e) {
            throw ApiProblem.conflict("A connection named " + request.apiName() + " already exists.");
        }
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    @Transactional
    public ConnectionEntity replace(OrgRef org, String apiName, ConnectionRequest request) {
        ConnectionEntity entity = get(org, apiName);
        ConnectionRequest named = request.apiName() == null ? withApiName(request, apiName) : request;
        rejectInvalid(validator.validate(named, entity));
        String oldRouteId = entity.routeId();
        apply(entity, named);
        entity.touch(clock.instant());
        entity = connections.saveAndFlush(entity);
        if (!oldRouteId.equals(entity.routeId())) {
            events.publishEvent(new ConnectionEvents.Removed(entity.getId(), oldRouteId));
        }
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    @Transactional
    public void delete(OrgRef org, String apiName) {
        ConnectionEntity entity = get(org, apiName);
        trusted.deleteAll(trusted.findByConnectionIdOrderById(entity.getId()));
        connections.delete(entity);
        events.publishEvent(new ConnectionEvents.Removed(entity.getId(), entity.routeId()));
    }

    /** Turns the connection on or off without touching anything else (the admin pages' toggle). */
    @Transactional
    public ConnectionEntity setEnabled(OrgRef org, String apiName, boolean enabled) {
        ConnectionEntity entity = get(org, apiName);
        entity.describe(entity.getName(), entity.getDescription(), enabled);
        entity.touch(clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    /** The clear value of one secret, for the route or the connection test; never for a response. */
    public Optional<String> secret(ConnectionEntity connection, SecretName name) {
        String stored = connection.secrets().get(name.key());
        return stored == null ? Optional.empty() : Optional.of(cipher.decryptString(stored, context(connection, name)));
    }

    @Transactional(readOnly = true)
    public List<TrustedCertificateEntity> trustedCertificates(OrgRef org, String apiName) {
        return trusted.findByConnectionIdOrderById(get(org, apiName).getId());
    }

    @Transactional(readOnly = true)
    public List<X509Certificate> trustedCertificates(long connectionId) {
        return trusted.findByConnectionIdOrderById(connectionId).stream()
                .map(t -> Certificates.parseOne(t.getPem().getBytes(StandardCharsets.US_ASCII)))
                .toList();
    }

    /** Trusts the given certificates for this connection only, and restarts its route with them. */
    @Transactional
    public List<TrustedCertificateEntity> trust(OrgRef org, String apiName, List<X509Certificate> certificates) {
        ConnectionEntity connection = get(org, apiName);
        List<TrustedCertificateEntity> added = certificates.stream()
                .map(Certificates::describe)
                .filter(info -> trusted.findByConnectionIdAndSha256(connection.getId(), info.sha256())
                        .isEmpty())
                .map((CertificateInfo info) ->
                        trusted.save(new TrustedCertificateEntity(connection.getId(), info, clock.instant())))
                .toList();
        connection.touch(clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(connection.getId()));
        return added;
    }

    @Transactional
    public void distrust(OrgRef org, String apiName, String sha256) {
        ConnectionEntity connection = get(org, apiName);
        String fingerprint;
        try {
            fingerprint = Certificates.normalizeFingerprint(sha256);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("No trusted certificate with that fingerprint.");
        }
        TrustedCertificateEntity entity = trusted.findByConnectionIdAndSha256(connection.getId(), fingerprint)
                .orElseThrow(() -> ApiProblem.notFound("No trusted certificate with that fingerprint."));
        trusted.delete(entity);
        connection.touch(clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(connection.getId()));
    }

    /**
     * Installs a validated decryption key: its material as secrets, what admins may see in the settings.
     * A key of the same kind replaces the previous one; the route restarts with it.
     */
    @Transactional
    public ConnectionEntity installDecryptionKey(
            OrgRef org, String apiName, ConnectionSettings.DecryptionKeyInfo info, Map<SecretName, String> material) {
        ConnectionEntity entity = get(org, apiName);
        material.forEach((name, value) -> putSecret(entity, name, value));
        ConnectionSettings.Decryption before = entity.getSettings().decryption();
        List<ConnectionSettings.DecryptionKeyInfo> keys = new ArrayList<>(
                before == null
                        ? List.of()
                        : before.keys().stream()
                                .filter(k -> !k.kind().equals(info.kind()))
                                .toList());
        keys.add(info);
        entity.configure(
                entity.getProtocol(),
                entity.getSettings().withDecryption(new ConnectionSettings.Decryption(true, keys)),
                clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    @Transactional
    public ConnectionEntity removeDecryptionKeys(OrgRef org, String apiName) {
        ConnectionEntity entity = get(org, apiName);
        for (SecretName name : List.of(
                SecretName.DECRYPTION_KEY,
                SecretName.DECRYPTION_KEY_PASSWORD,
                SecretName.PGP_KEY,
                SecretName.PGP_PASSPHRASE)) {
            entity.secrets().remove(name.key());
        }
        ConnectionSettings.Decryption before = entity.getSettings().decryption();
        entity.configure(
                entity.getProtocol(),
                entity.getSettings()
                        .withDecryption(
                                new ConnectionSettings.Decryption(before != null && before.enabled(), List.of())),
                clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    @Transactional(readOnly = true)
    public Optional<ConnectionEntity> byId(long connectionId) {
        return connections.findById(connectionId);
    }

    /** The current value of a secret, read from the database (tokens rotate while a route runs). */
    @Transactional(readOnly = true)
    public Optional<String> currentSecret(long connectionId, SecretName name) {
        return connections.findById(connectionId).flatMap(c -> secret(c, name));
    }

    /** Stores a rotated refresh token; the route keeps running with it. */
    @Transactional
    public void saveRefreshToken(long connectionId, String refreshToken) {
        connections.findById(connectionId).ifPresent(c -> putSecret(c, SecretName.OAUTH_REFRESH_TOKEN, refreshToken));
    }

    /**
     * Grant Access (or Switch Account) completed: the account, the mailbox it was checked to read (as its own, or as
     * a delegate) and its refresh token; the route restarts.
     */
    @Transactional
    public ConnectionEntity grantAccount(
            long connectionId, String refreshToken, String username, String mailbox, boolean delegate) {
        ConnectionEntity entity = connections
                .findById(connectionId)
                .orElseThrow(() -> ApiProblem.notFound("The connection no longer exists."));
        putSecret(entity, SecretName.OAUTH_REFRESH_TOKEN, refreshToken);
        entity.configure(
                entity.getProtocol(),
                entity.getSettings()
                        .withOAuthAccount(
                                new ConnectionSettings.OAuthAccount(username, clock.instant(), mailbox, delegate)),
                clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    /** Stores the Entra app's certificate credential (already checked to open); the route restarts with it. */
    @Transactional
    public ConnectionEntity installOAuthCertificate(OrgRef org, String apiName, String material, String password) {
        ConnectionEntity entity = get(org, apiName);
        if (entity.getProtocol() != Protocol.OAUTH) {
            throw ApiProblem.conflict("A certificate credential applies to OAUTH connections only.");
        }
        putSecret(entity, SecretName.OAUTH_CERTIFICATE, material);
        if (password == null || password.isEmpty()) {
            entity.secrets().remove(SecretName.OAUTH_CERTIFICATE_PASSWORD.key());
        } else {
            putSecret(entity, SecretName.OAUTH_CERTIFICATE_PASSWORD, password);
        }
        entity.touch(clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    /** Turns a legacy OAuth EWS connection into a Microsoft Graph one, keeping credentials and account. */
    @Transactional
    public ConnectionEntity migrateToGraph(OrgRef org, String apiName) {
        ConnectionEntity entity = get(org, apiName);
        var oauth = entity.getSettings().oauth();
        if (entity.getProtocol() != Protocol.OAUTH || oauth == null) {
            throw ApiProblem.conflict("Only OAUTH connections can be migrated to Microsoft Graph.");
        }
        if (oauth.apiType() == ConnectionSettings.OAuthApiType.MS_GRAPH) {
            throw ApiProblem.conflict("The connection already uses Microsoft Graph.");
        }
        // Exchange Online's EWS endpoint belongs to the global cloud; its Graph counterpart is graph.microsoft.com.
        var migrated = new ConnectionSettings.OAuth(
                ConnectionSettings.OAuthApiType.MS_GRAPH,
                "https://graph.microsoft.com",
                oauth.clientId(),
                oauth.tenantId(),
                oauth.credentialType(),
                oauth.emailAddress(),
                oauth.sourceFolder(),
                oauth.appOnly(),
                oauth.clientSecretExpiresAt());
        entity.configure(entity.getProtocol(), entity.getSettings().withOAuth(migrated), clock.instant());
        events.publishEvent(new ConnectionEvents.Changed(entity.getId()));
        return entity;
    }

    /** A connection built from a request but not stored, to test settings before saving them. */
    @Transactional(readOnly = true)
    public ConnectionEntity preview(OrgRef org, ConnectionRequest request) {
        Optional<ConnectionEntity> existing = request.apiName() == null
                ? Optional.empty()
                : connections.findByOrgIdAndApiName(org.id(), request.apiName());
        rejectInvalid(validator.validate(request, existing.orElse(null)));
        ConnectionEntity preview = new ConnectionEntity(org.id(), org.handle(), request.apiName(), clock.instant());
        existing.ifPresent(stored -> {
            preview.previewOf(stored.getId());
            preview.secrets().putAll(stored.secrets());
            preview.configure(stored.getProtocol(), stored.getSettings(), clock.instant());
        });
        apply(preview, request);
        return preview;
    }

    private void apply(ConnectionEntity entity, ConnectionRequest r) {
        entity.describe(r.name().trim(), r.description(), r.enabled() == null || r.enabled());
        ConnectionSettings settings = settings(r);
        if (entity.getSettings() != null && entity.getSettings().decryption() != null) {
            // Keys are installed through their own endpoint; a PUT of the connection keeps them.
            settings = settings.withDecryption(new ConnectionSettings.Decryption(
                    settings.decryption().enabled(),
                    entity.getSettings().decryption().keys()));
        }
        if (entity.getSettings() != null && r.protocol() == Protocol.OAUTH) {
            // The granted account comes from Grant Access, not from the request.
            settings = settings.withOAuthAccount(entity.getSettings().oauthAccount());
        }
        entity.configure(r.protocol(), settings, clock.instant());
        keepOnlySecretsOf(entity, r);
        switch (r.protocol()) {
            case IMAP -> putSecret(entity, SecretName.IMAP_PASSWORD, r.imap().password());
            case EXCHANGE ->
                putSecret(entity, SecretName.EXCHANGE_PASSWORD, r.exchange().password());
            case OAUTH ->
                putSecret(entity, SecretName.OAUTH_CLIENT_SECRET, r.oauth().clientSecret());
        }
        if (r.proxy() != null) {
            putSecret(entity, SecretName.PROXY_PASSWORD, r.proxy().password());
        }
    }

    /** Secrets of a protocol or proxy the connection no longer uses are dropped, not kept around. */
    private void keepOnlySecretsOf(ConnectionEntity entity, ConnectionRequest r) {
        Set<SecretName> kept = EnumSet.of(
                SecretName.DECRYPTION_KEY,
                SecretName.DECRYPTION_KEY_PASSWORD,
                SecretName.PGP_KEY,
                SecretName.PGP_PASSPHRASE);
        switch (r.protocol()) {
            case IMAP -> kept.add(SecretName.IMAP_PASSWORD);
            case EXCHANGE -> kept.add(SecretName.EXCHANGE_PASSWORD);
            case OAUTH ->
                kept.addAll(Set.of(
                        SecretName.OAUTH_CLIENT_SECRET,
                        SecretName.OAUTH_REFRESH_TOKEN,
                        SecretName.OAUTH_CERTIFICATE,
                        SecretName.OAUTH_CERTIFICATE_PASSWORD));
        }
        if (r.proxy() != null && r.proxy().username() != null) {
            kept.add(SecretName.PROXY_PASSWORD);
        }
        entity.secrets()
                .keySet()
                .removeIf(key -> kept.stream().noneMatch(k -> k.key().equals(key)));
    }

    private void putSecret(ConnectionEntity entity, SecretName name, String value) {
        if (value != null && !value.isEmpty()) {
            entity.secrets().put(name.key(), cipher.encrypt(value, context(entity, name)));
        }
    }

    /** Binds each ciphertext to its organization, connection and field (AES-GCM associated data). */
    private static String context(ConnectionEntity connection, SecretName name) {
        return "connection:" + connection.getOrgId() + ":" + connection.getApiName() + ":" + name.key();
    }

    static ConnectionSettings settings(ConnectionRequest r) {
        ConnectionSettings.Imap imap = null;
        ConnectionSettings.Exchange exchange = null;
        ConnectionSettings.OAuth oauth = null;
        switch (r.protocol()) {
            case IMAP ->
                imap = new ConnectionSettings.Imap(
                        r.imap().host().trim(),
                        r.imap().port(),
                        r.imap().emailAddress().trim(),
                        r.imap().encryption() == null
                                ? ImapEncryption.SSL_TLS
                                : r.imap().encryption(),
                        orDefault(r.imap().sourceFolder(), "INBOX"));
            case EXCHANGE ->
                exchange = new ConnectionSettings.Exchange(
                        r.exchange().endpoint().trim(),
                        r.exchange().emailAddress().trim(),
                        orDefault(r.exchange().sourceFolder(), "Inbox"));
            case OAUTH ->
                oauth = new ConnectionSettings.OAuth(
                        r.oauth().apiType() == null
                                ? OAuthApiType.MS_GRAPH
                                : r.oauth().apiType(),
                        r.oauth().endpoint() == null
                                ? "https://graph.microsoft.com"
                                : ConnectionValidator.stripSlash(r.oauth().endpoint()),
                        r.oauth().clientId().trim(),
                        r.oauth().tenantId() == null || r.oauth().tenantId().isBlank()
                                ? null
                                : r.oauth().tenantId().trim(),
                        r.oauth().credentialType() == null
                                ? OAuthCredentialType.CLIENT_SECRET
                                : r.oauth().credentialType(),
                        r.oauth().emailAddress().trim(),
                        orDefault(r.oauth().sourceFolder(), "Inbox"),
                        Boolean.TRUE.equals(r.oauth().appOnly()),
                        r.oauth().clientSecretExpiresAt());
        }
        ConnectionSettings.Proxy proxy = r.proxy() == null || r.protocol() == Protocol.IMAP
                ? null
                : new ConnectionSettings.Proxy(
                        r.proxy().protocol(),
                        r.proxy().host().trim(),
                        r.proxy().port(),
                        r.proxy().username());
        IncidentPolicy defaults = IncidentPolicy.defaults();
        var p = r.incidentPolicy();
        IncidentPolicy policy = p == null
                ? defaults
                : new IncidentPolicy(
                        p.mode() == null ? defaults.mode() : p.mode(),
                        p.referencePattern() == null ? defaults.referencePattern() : p.referencePattern(),
                        p.threading() == null ? defaults.threading() : p.threading());
        Polling pollingDefaults = Polling.defaults();
        Polling polling = r.polling() == null
                ? pollingDefaults
                : new Polling(
                        r.polling().intervalSeconds() == null
                                ? pollingDefaults.intervalSeconds()
                                : r.polling().intervalSeconds(),
                        r.polling().push() == null
                                ? pollingDefaults.push()
                                : r.polling().push());
        boolean decrypt =
                r.decryption() != null && Boolean.TRUE.equals(r.decryption().enabled());
        return new ConnectionSettings(
                imap, exchange, oauth, proxy, new ConnectionSettings.Decryption(decrypt, null), policy, polling, null);
    }

    private static void rejectInvalid(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static ConnectionRequest withApiName(ConnectionRequest r, String apiName) {
        return new ConnectionRequest(
                apiName,
                r.name(),
                r.description(),
                r.enabled(),
                r.protocol(),
                r.imap(),
                r.exchange(),
                r.oauth(),
                r.proxy(),
                r.decryption(),
                r.incidentPolicy(),
                r.polling());
    }
}

package io.mailgate.web;

import io.mailgate.connection.ConnectionRequest;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.ConnectionSettings.ProxyProtocol;
import io.mailgate.connection.ConnectionView;
import io.mailgate.connection.IncidentPolicy;
import io.mailgate.connection.Polling;
import io.mailgate.connection.Protocol;
import io.mailgate.imap.ImapEncryption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.BindingResult;
import org.springframework.validation.DirectFieldBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.multipart.MultipartFile;

/**
 * The connection form, bound by Spring MVC ({@code @ModelAttribute}, field access): each field is named exactly
 * like the API's field ({@code imap.port}, {@code oauth.clientId}…), so an error the service reports for a field
 * lands next to that field. Spring converts the text (numbers, choices, dates); what it cannot convert is a
 * binding error in the {@link BindingResult}, shown like any other. Secrets are never put back into the page:
 * it shows only whether one is set. {@link #request} reads only the chosen protocol's section, and the proxy
 * only when its toggle is on. A checkbox is true when ticked and absent (false) otherwise.
 */
final class ConnectionForm {

    String apiName;
    String name;
    String description;
    boolean enabled;
    boolean keepDisabledUntilTested;
    Protocol protocol;
    Imap imap = new Imap();
    Exchange exchange = new Exchange();
    OAuth oauth = new OAuth();
    Proxy proxy = new Proxy();
    Decryption decryption = new Decryption();
    Incidents incidentPolicy = new Incidents();
    PollingFields polling = new PollingFields();

    static final class Imap {
        String host;
        Integer port;
        String emailAddress;
        String password;
        ImapEncryption encryption;
        String sourceFolder;
    }

    static final class Exchange {
        String endpoint;
        String emailAddress;
        String password;
        String sourceFolder;
    }

    static final class OAuth {
        OAuthApiType apiType;
        String endpoint;
        String clientId;
        String tenantId;
        OAuthCredentialType credentialType;
        String clientSecret;
        /** As Entra shows it: a day. */
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
        LocalDate clientSecretExpiresAt;

        MultipartFile certificateFile;
        String certificatePassword;
        String emailAddress;
        String sourceFolder;
        boolean appOnly;
    }

    static final class Proxy {
        boolean enabled;
        ProxyProtocol protocol;
        String host;
        Integer port;
        String username;
        String password;
    }

    static final class Decryption {
        boolean enabled;
        MultipartFile file;
        String password;
    }

    static final class Incidents {
        IncidentPolicy.Mode mode;
        String referencePattern;
        boolean threading;
    }

    static final class PollingFields {
        Integer intervalSeconds;
    }

    /** What the page calls each field, for the list of errors at the top; in the order the form shows them. */
    static final Map<String, String> LABELS = inOrder(
            Map.entry("name", "Name"),
            Map.entry("apiName", "API name"),
            Map.entry("description", "Description"),
            Map.entry("protocol", "Protocol"),
            Map.entry("imap", "IMAP"),
            Map.entry("imap.host", "Host Name"),
            Map.entry("imap.port", "Port"),
            Map.entry("imap.emailAddress", "Email Address"),
            Map.entry("imap.password", "Password"),
            Map.entry("imap.encryption", "Encryption method"),
            Map.entry("imap.sourceFolder", "Source Folder"),
            Map.entry("exchange", "Exchange"),
            Map.entry("exchange.endpoint", "Endpoint"),
            Map.entry("exchange.emailAddress", "Email Address"),
            Map.entry("exchange.password", "Password"),
            Map.entry("exchange.sourceFolder", "Source Folder"),
            Map.entry("oauth", "OAuth"),
            Map.entry("oauth.apiType", "API Type"),
            Map.entry("oauth.endpoint", "Endpoint"),
            Map.entry("oauth.clientId", "Application (Client) ID"),
            Map.entry("oauth.tenantId", "Directory (Tenant) ID"),
            Map.entry("oauth.credentialType", "Client secret or Certificate"),
            Map.entry("oauth.clientSecret", "Client secret"),
            Map.entry("oauth.clientSecretExpiresAt", "Client secret expires"),
            Map.entry("oauth.certificateFile", "Certificate"),
            Map.entry("oauth.emailAddress", "Email Address"),
            Map.entry("oauth.sourceFolder", "Source Folder"),
            Map.entry("proxy", "Proxy"),
            Map.entry("proxy.protocol", "Proxy protocol"),
            Map.entry("proxy.host", "Proxy host name"),
            Map.entry("proxy.port", "Proxy port"),
            Map.entry("proxy.username", "Proxy user name"),
            Map.entry("proxy.password", "Proxy password"),
            Map.entry("decryption", "Decryption"),
            Map.entry("decryption.file", "Email decryption key"),
            Map.entry("decryption.password", "Decryption key password"),
            Map.entry("incidentPolicy.mode", "Each message"),
            Map.entry("incidentPolicy.referencePattern", "Incident reference in the subject"),
            Map.entry("polling.intervalSeconds", "Check the mailbox every (seconds)"));

    /** The fields a page may show again: all but secrets and files, which never go back to the browser. */
    private static final List<String> SHOWN = List.of(
            "apiName",
            "name",
            "description",
            "enabled",
            "keepDisabledUntilTested",
            "protocol",
            "imap.host",
            "imap.port",
            "imap.emailAddress",
            "imap.encryption",
            "imap.sourceFolder",
            "exchange.endpoint",
            "exchange.emailAddress",
            "exchange.sourceFolder",
            "oauth.apiType",
            "oauth.endpoint",
            "oauth.clientId",
            "oauth.tenantId",
            "oauth.credentialType",
            "oauth.clientSecretExpiresAt",
            "oauth.emailAddress",
            "oauth.sourceFolder",
            "oauth.appOnly",
            "proxy.enabled",
            "proxy.protocol",
            "proxy.host",
            "proxy.port",
            "proxy.username",
            "decryption.enabled",
            "incidentPolicy.mode",
            "incidentPolicy.referencePattern",
            "incidentPolicy.threading",
            "polling.intervalSeconds");

    /**
     * Every field the page sends: Spring binds these and nothing else, so no other path (an index such as
     * {@code imap[0]}, which Spring would reject with an exception) reaches the object.
     */
    static final String[] FIELDS = Stream.concat(
                    SHOWN.stream(),
                    Stream.of(
                            "imap.password",
                            "exchange.password",
                            "oauth.clientSecret",
                            "oauth.certificateFile",
                            "oauth.certificatePassword",
                            "proxy.password",
                            "decryption.file",
                            "decryption.password"))
            .toArray(String[]::new);

    @SafeVarargs
    private static Map<String, String> inOrder(Map.Entry<String, String>... entries) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries) {
            labels.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(labels);
    }

    /** The errors in the order of their fields on the form (the service reports them in its own order). */
    static Map<String, String> inFormOrder(Map<String, String> errors) {
        List<String> order = List.copyOf(LABELS.keySet());
        Map<String, String> sorted = new LinkedHashMap<>();
        errors.entrySet().stream()
                .sorted(Comparator.comparingInt(e -> {
                    int at = order.indexOf(e.getKey());
                    return at < 0 ? order.size() : at;
                }))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** What "Add Connection +" starts with: the reference's defaults (IMAP over SSL/TLS, MS Graph, Inbox). */
    static ConnectionForm defaults() {
        ConnectionForm f = new ConnectionForm();
        f.enabled = true;
        f.keepDisabledUntilTested = true; // a new connection polls only once a test passed
        f.protocol = Protocol.IMAP;
        f.imap.port = 993;
        f.imap.encryption = ImapEncryption.SSL_TLS;
        f.oauth.apiType = OAuthApiType.MS_GRAPH;
        f.oauth.endpoint = "https://graph.microsoft.com";
        f.oauth.credentialType = OAuthCredentialType.CLIENT_SECRET;
        f.proxy.protocol = ProxyProtocol.HTTP;
        IncidentPolicy policy = IncidentPolicy.defaults();
        f.incidentPolicy.mode = policy.mode();
        f.incidentPolicy.referencePattern = policy.referencePattern();
        f.incidentPolicy.threading = true;
        f.polling.intervalSeconds = Polling.defaults().intervalSeconds();
        return f;
    }

    /** A saved connection's form, for its edit page (no secret: the view carries only whether each is set). */
    static ConnectionForm of(ConnectionView c) {
        ConnectionForm f = defaults();
        f.apiName = c.apiName();
        f.name = c.name();
        f.description = c.description();
        f.enabled = c.enabled();
        f.protocol = c.protocol();
        if (c.imap() != null) {
            f.imap.host = c.imap().host();
            f.imap.port = c.imap().port();
            f.imap.emailAddress = c.imap().emailAddress();
            f.imap.encryption = c.imap().encryption();
            f.imap.sourceFolder = c.imap().sourceFolder();
        }
        if (c.exchange() != null) {
            f.exchange.endpoint = c.exchange().endpoint();
            f.exchange.emailAddress = c.exchange().emailAddress();
            f.exchange.sourceFolder = c.exchange().sourceFolder();
        }
        if (c.oauth() != null) {
            f.oauth.apiType = c.oauth().apiType();
            f.oauth.endpoint = c.oauth().endpoint();
            f.oauth.clientId = c.oauth().clientId();
            f.oauth.tenantId = c.oauth().tenantId();
            f.oauth.credentialType = c.oauth().credentialType();
            f.oauth.emailAddress = c.oauth().emailAddress();
            f.oauth.sourceFolder = c.oauth().sourceFolder();
            f.oauth.appOnly = c.oauth().appOnly();
            f.oauth.clientSecretExpiresAt = c.oauth().clientSecretExpiresAt() == null
                    ? null
                    : LocalDate.ofInstant(c.oauth().clientSecretExpiresAt(), ZoneOffset.UTC);
        }
        if (c.proxy() != null) {
            f.proxy.enabled = true;
            f.proxy.protocol = c.proxy().protocol();
            f.proxy.host = c.proxy().host();
            f.proxy.port = c.proxy().port();
            f.proxy.username = c.proxy().username();
        }
        f.decryption.enabled = c.decryption() != null && c.decryption().enabled();
        if (c.incidentPolicy() != null) {
            f.incidentPolicy.mode = c.incidentPolicy().mode();
            f.incidentPolicy.referencePattern = c.incidentPolicy().referencePattern();
            f.incidentPolicy.threading = c.incidentPolicy().threading();
        }
        if (c.polling() != null) {
            f.polling.intervalSeconds = c.polling().intervalSeconds();
        }
        return f;
    }

    /** The API's request made from the form; {@code enabled} is what to save (false while waiting for a test). */
    ConnectionRequest request(boolean enabled) {
        ConnectionRequest.Imap imap = protocol != Protocol.IMAP
                ? null
                : new ConnectionRequest.Imap(
                        text(this.imap.host),
                        this.imap.port,
                        text(this.imap.emailAddress),
                        secret(this.imap.password),
                        this.imap.encryption,
                        text(this.imap.sourceFolder));
        ConnectionRequest.Exchange exchange = protocol != Protocol.EXCHANGE
                ? null
                : new ConnectionRequest.Exchange(
                        text(this.exchange.endpoint),
                        text(this.exchange.emailAddress),
                        secret(this.exchange.password),
                        text(this.exchange.sourceFolder));
        ConnectionRequest.OAuth oauth = protocol != Protocol.OAUTH
                ? null
                : new ConnectionRequest.OAuth(
                        this.oauth.apiType,
                        text(this.oauth.endpoint),
                        text(this.oauth.clientId),
                        text(this.oauth.tenantId),
                        this.oauth.credentialType,
                        secret(this.oauth.clientSecret),
                        text(this.oauth.emailAddress),
                        text(this.oauth.sourceFolder),
                        this.oauth.appOnly,
                        endOfDay(this.oauth.clientSecretExpiresAt));
        // IMAP connects directly (the reference offers a proxy for Exchange and OAuth only)
        ConnectionRequest.Proxy proxy = protocol == Protocol.IMAP || !this.proxy.enabled
                ? null
                : new ConnectionRequest.Proxy(
                        this.proxy.protocol,
                        text(this.proxy.host),
                        this.proxy.port,
                        text(this.proxy.username),
                        secret(this.proxy.password));
        return new ConnectionRequest(
                text(apiName),
                text(name),
                text(description),
                enabled,
                protocol,
                imap,
                exchange,
                oauth,
                proxy,
                new ConnectionRequest.DecryptionInput(decryption.enabled),
                new ConnectionRequest.IncidentPolicyInput(
                        incidentPolicy.mode, text(incidentPolicy.referencePattern), incidentPolicy.threading),
                new ConnectionRequest.PollingInput(polling.intervalSeconds, null));
    }

    /** The values to show in the page's inputs: as typed when Spring could not convert them ("abc" for a port). */
    static Map<String, String> shown(BindingResult binding) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : SHOWN) {
            Object value = binding.getFieldValue(field);
            if (value != null) {
                values.put(field, value instanceof Enum<?> e ? e.name() : String.valueOf(value));
            }
        }
        return values;
    }

    /** The values of a form not submitted (a new or saved connection). */
    Map<String, String> shown() {
        return shown(new DirectFieldBindingResult(this, "connectionForm"));
    }

    /** Field errors by field; a value Spring could not convert gets a message naming what is expected. */
    static Map<String, String> errors(BindingResult binding) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldError error : binding.getFieldErrors()) {
            String message = error.isBindingFailure()
                    ? expected(binding.getFieldType(error.getField()))
                    : error.getDefaultMessage();
            errors.merge(error.getField(), message, (a, b) -> a + "; " + b);
        }
        return errors;
    }

    private static String expected(Class<?> type) {
        if (type != null && type.isEnum()) {
            return "must be one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.joining(", "));
        }
        if (type == LocalDate.class) {
            return "must be a date such as 2027-06-30";
        }
        if (type == Integer.class) {
            return "must be a whole number";
        }
        return "is not a valid value";
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An empty secret field means "keep the stored one" (PUT semantics), so it is sent as null; never trimmed. */
    private static String secret(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** The client secret's expiry as Entra shows it (a day) is taken as the end of that day, UTC. */
    private static Instant endOfDay(LocalDate day) {
        return day == null
                ? null
                : day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
    }
}

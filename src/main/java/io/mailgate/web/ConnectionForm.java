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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The connection form as the page holds it: one text value per field, named exactly like the API's fields
 * ({@code imap.port}, {@code oauth.clientId}…), so an error the service reports for a field lands next to
 * that field. Secrets are never put back into the values: the page shows only whether one is set.
 * Only the chosen protocol's section is read, and the proxy only when its toggle is on.
 */
final class ConnectionForm {

    /** A request made from the form, or the fields that could not even be read (a port that is not a number). */
    record Parsed(ConnectionRequest request, Map<String, String> errors) {
    }

    /** What the page calls each field, for the list of errors at the top; in the order the form shows them. */
    static final Map<String, String> LABELS = inOrder(
            Map.entry("name", "Name"), Map.entry("apiName", "API name"), Map.entry("description", "Description"),
            Map.entry("protocol", "Protocol"),
            Map.entry("imap", "IMAP"), Map.entry("imap.host", "Host Name"), Map.entry("imap.port", "Port"),
            Map.entry("imap.emailAddress", "Email Address"), Map.entry("imap.password", "Password"),
            Map.entry("imap.encryption", "Encryption method"), Map.entry("imap.sourceFolder", "Source Folder"),
            Map.entry("exchange", "Exchange"), Map.entry("exchange.endpoint", "Endpoint"),
            Map.entry("exchange.emailAddress", "Email Address"), Map.entry("exchange.password", "Password"),
            Map.entry("exchange.sourceFolder", "Source Folder"),
            Map.entry("oauth", "OAuth"), Map.entry("oauth.apiType", "API Type"), Map.entry("oauth.endpoint", "Endpoint"),
            Map.entry("oauth.clientId", "Application (Client) ID"), Map.entry("oauth.tenantId", "Directory (Tenant) ID"),
            Map.entry("oauth.credentialType", "Client secret or Certificate"),
            Map.entry("oauth.clientSecret", "Client secret"), Map.entry("oauth.clientSecretExpiresAt", "Client secret expires"),
            Map.entry("oauth.certificateFile", "Certificate"), Map.entry("oauth.emailAddress", "Email Address"),
            Map.entry("oauth.sourceFolder", "Source Folder"),
            Map.entry("proxy.protocol", "Proxy protocol"), Map.entry("proxy.host", "Proxy host name"),
            Map.entry("proxy.port", "Proxy port"), Map.entry("proxy.username", "Proxy user name"),
            Map.entry("proxy.password", "Proxy password"),
            Map.entry("decryption", "Decryption"), Map.entry("decryption.file", "Email decryption key"),
            Map.entry("decryption.password", "Decryption key password"),
            Map.entry("incidentPolicy.referencePattern", "Incident reference in the subject"),
            Map.entry("polling.intervalSeconds", "Check the mailbox every (seconds)"));

    @SafeVarargs
    private static Map<String, String> inOrder(Map.Entry<String, String>... entries) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries) {
            labels.put(entry.getKey(), entry.getValue());
        }
        return java.util.Collections.unmodifiableMap(labels);
    }

    /** The errors in the order of their fields on the form (the service reports them in its own order). */
    static Map<String, String> inFormOrder(Map<String, String> errors) {
        java.util.List<String> order = java.util.List.copyOf(LABELS.keySet());
        Map<String, String> sorted = new LinkedHashMap<>();
        errors.entrySet().stream()
                .sorted(java.util.Comparator.comparingInt(e -> {
                    int at = order.indexOf(e.getKey());
                    return at < 0 ? order.size() : at;
                }))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private final Map<String, String> values;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private ConnectionForm(Map<String, String> values) {
        this.values = values;
    }

    /** What "Add Connection +" starts with: the reference's defaults (IMAP over SSL/TLS, MS Graph, Inbox). */
    static Map<String, String> defaults() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("enabled", "true");
        v.put("keepDisabledUntilTested", "true"); // a new connection polls only once a test passed
        v.put("protocol", Protocol.IMAP.name());
        v.put("imap.port", "993");
        v.put("imap.encryption", ImapEncryption.SSL_TLS.name());
        v.put("oauth.apiType", OAuthApiType.MS_GRAPH.name());
        v.put("oauth.endpoint", "https://graph.microsoft.com");
        v.put("oauth.credentialType", OAuthCredentialType.CLIENT_SECRET.name());
        v.put("proxy.protocol", ProxyProtocol.HTTP.name());
        IncidentPolicy policy = IncidentPolicy.defaults();
        v.put("incidentPolicy.mode", policy.mode().name());
        v.put("incidentPolicy.referencePattern", policy.referencePattern());
        v.put("incidentPolicy.threading", "true");
        v.put("polling.intervalSeconds", String.valueOf(Polling.defaults().intervalSeconds()));
        return v;
    }

    /** A saved connection's values, for its edit page (no secret, only the *Set flags the view carries). */
    static Map<String, String> of(ConnectionView c) {
        Map<String, String> v = defaults();
        put(v, "apiName", c.apiName());
        put(v, "name", c.name());
        put(v, "description", c.description());
        put(v, "enabled", String.valueOf(c.enabled()));
        put(v, "protocol", c.protocol().name());
        if (c.imap() != null) {
            put(v, "imap.host", c.imap().host());
            put(v, "imap.port", String.valueOf(c.imap().port()));
            put(v, "imap.emailAddress", c.imap().emailAddress());
            put(v, "imap.encryption", c.imap().encryption() == null ? null : c.imap().encryption().name());
            put(v, "imap.sourceFolder", c.imap().sourceFolder());
        }
        if (c.exchange() != null) {
            put(v, "exchange.endpoint", c.exchange().endpoint());
            put(v, "exchange.emailAddress", c.exchange().emailAddress());
            put(v, "exchange.sourceFolder", c.exchange().sourceFolder());
        }
        if (c.oauth() != null) {
            put(v, "oauth.apiType", c.oauth().apiType() == null ? null : c.oauth().apiType().name());
            put(v, "oauth.endpoint", c.oauth().endpoint());
            put(v, "oauth.clientId", c.oauth().clientId());
            put(v, "oauth.tenantId", c.oauth().tenantId());
            put(v, "oauth.credentialType", c.oauth().credentialType() == null ? null : c.oauth().credentialType().name());
            put(v, "oauth.emailAddress", c.oauth().emailAddress());
            put(v, "oauth.sourceFolder", c.oauth().sourceFolder());
            put(v, "oauth.appOnly", String.valueOf(c.oauth().appOnly()));
            put(v, "oauth.clientSecretExpiresAt", c.oauth().clientSecretExpiresAt() == null ? null
                    : LocalDate.ofInstant(c.oauth().clientSecretExpiresAt(), ZoneOffset.UTC).toString());
        }
        if (c.proxy() != null) {
            put(v, "proxy.enabled", "true");
            put(v, "proxy.protocol", c.proxy().protocol() == null ? null : c.proxy().protocol().name());
            put(v, "proxy.host", c.proxy().host());
            put(v, "proxy.port", String.valueOf(c.proxy().port()));
            put(v, "proxy.username", c.proxy().username());
        }
        put(v, "decryption.enabled", String.valueOf(c.decryption() != null && c.decryption().enabled()));
        if (c.incidentPolicy() != null) {
            put(v, "incidentPolicy.mode", c.incidentPolicy().mode().name());
            put(v, "incidentPolicy.referencePattern", c.incidentPolicy().referencePattern());
            put(v, "incidentPolicy.threading", String.valueOf(c.incidentPolicy().threading()));
        }
        if (c.polling() != null) {
            put(v, "polling.intervalSeconds", String.valueOf(c.polling().intervalSeconds()));
        }
        return v;
    }

    /** The submitted values with every secret removed: what a page may show again after an error. */
    static Map<String, String> shown(Map<String, String> submitted) {
        Map<String, String> v = new LinkedHashMap<>(submitted);
        v.keySet().removeIf(ConnectionForm::isSecret);
        return v;
    }

    static boolean isSecret(String field) {
        return field.endsWith("password") || field.endsWith("Password") || field.equals("oauth.clientSecret")
                || field.equals("_csrf");
    }

    /** Reads a submitted form. Checkboxes are "true" when ticked and absent otherwise. */
    static Parsed parse(Map<String, String> submitted) {
        return new ConnectionForm(submitted).read();
    }

    private Parsed read() {
        Protocol protocol = choice("protocol", Protocol.class);
        ConnectionRequest.Imap imap = protocol != Protocol.IMAP ? null : new ConnectionRequest.Imap(
                text("imap.host"), number("imap.port"), text("imap.emailAddress"), secret("imap.password"),
                choice("imap.encryption", ImapEncryption.class), text("imap.sourceFolder"));
        ConnectionRequest.Exchange exchange = protocol != Protocol.EXCHANGE ? null : new ConnectionRequest.Exchange(
                text("exchange.endpoint"), text("exchange.emailAddress"), secret("exchange.password"),
                text("exchange.sourceFolder"));
        ConnectionRequest.OAuth oauth = protocol != Protocol.OAUTH ? null : new ConnectionRequest.OAuth(
                choice("oauth.apiType", OAuthApiType.class), text("oauth.endpoint"), text("oauth.clientId"),
                text("oauth.tenantId"), choice("oauth.credentialType", OAuthCredentialType.class),
                secret("oauth.clientSecret"), text("oauth.emailAddress"), text("oauth.sourceFolder"),
                ticked("oauth.appOnly"), date("oauth.clientSecretExpiresAt"));
        // IMAP connects directly (the reference offers a proxy for Exchange and OAuth only)
        ConnectionRequest.Proxy proxy = protocol == Protocol.IMAP || !ticked("proxy.enabled") ? null
                : new ConnectionRequest.Proxy(choice("proxy.protocol", ProxyProtocol.class), text("proxy.host"),
                number("proxy.port"), text("proxy.username"), secret("proxy.password"));
        ConnectionRequest request = new ConnectionRequest(text("apiName"), text("name"), text("description"),
                ticked("enabled"), protocol, imap, exchange, oauth, proxy,
                new ConnectionRequest.DecryptionInput(ticked("decryption.enabled")),
                new ConnectionRequest.IncidentPolicyInput(choice("incidentPolicy.mode", IncidentPolicy.Mode.class),
                        text("incidentPolicy.referencePattern"), ticked("incidentPolicy.threading")),
                new ConnectionRequest.PollingInput(number("polling.intervalSeconds"), null));
        return new Parsed(request, errors);
    }

    private String text(String field) {
        String value = values.get(field);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** An empty secret field means "keep the stored one" (PUT semantics), so it is sent as null. */
    private String secret(String field) {
        String value = values.get(field);
        return value == null || value.isEmpty() ? null : value;
    }

    private boolean ticked(String field) {
        return ticked(values, field);
    }

    static boolean ticked(Map<String, String> values, String field) {
        String value = values.get(field);
        return "true".equals(value) || "on".equals(value);
    }

    private Integer number(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            errors.put(field, "must be a whole number");
            return null;
        }
    }

    private <E extends Enum<E>> E choice(String field, Class<E> type) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            errors.put(field, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
            return null;
        }
    }

    /** A date (the client secret's expiry as Entra shows it) taken as the end of that day, UTC. */
    private java.time.Instant date(String field) {
        String value = text(field);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
        } catch (java.time.format.DateTimeParseException e) {
            errors.put(field, "must be a date such as 2027-06-30");
            return null;
        }
    }

    private static void put(Map<String, String> values, String field, String value) {
        if (value == null) {
            values.remove(field);
        } else {
            values.put(field, value);
        }
    }
}

package io.mailgate.connection;

import io.mailgate.connection.ConnectionRequest.Exchange;
import io.mailgate.connection.ConnectionRequest.Imap;
import io.mailgate.connection.ConnectionRequest.OAuth;
import io.mailgate.connection.ConnectionRequest.Proxy;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.system.ApiProblem.FieldError;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a connection as a client sent it and names every field that is wrong, so that one answer tells the
 * admin everything to fix. {@code existing} is the stored connection on PUT (its secrets may be kept).
 */
final class ConnectionValidator {

    static final Pattern API_NAME = Pattern.compile("^[a-z][a-z0-9_]{1,63}$");
    /** user@domain: one @, no white space, no backslash (the shared-mailbox separator). */
    private static final Pattern MAILBOX = Pattern.compile("^[^@\\s\\\\]+@[^@\\s\\\\]+$");
    private static final Pattern HOST = Pattern.compile("^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\\[?[0-9A-Fa-f:.]+]?$");
    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    static final Set<String> GRAPH_ENDPOINTS = Set.of("https://graph.microsoft.com", "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn");
    private static final int MAX_INTERVAL_SECONDS = 86_400;

    private final List<FieldError> errors = new ArrayList<>();
    private final ConnectionEntity existing;

    private ConnectionValidator(ConnectionEntity existing) {
        this.existing = existing;
    }

    static List<FieldError> validate(ConnectionRequest request, ConnectionEntity existing) {
        ConnectionValidator v = new ConnectionValidator(existing);
        v.check(request);
        return List.copyOf(v.errors);
    }

    private void check(ConnectionRequest r) {
        if (blank(r.apiName())) {
            error("apiName", "is required");
        } else if (!API_NAME.matcher(r.apiName()).matches()) {
            error("apiName", "must start with a lower-case letter and have 2-64 characters of a-z, 0-9 and _");
        } else if (existing != null && !existing.getApiName().equals(r.apiName())) {
            error("apiName", "cannot be changed (it is " + existing.getApiName() + ")");
        }
        if (blank(r.name())) {
            error("name", "is required");
        } else {
            maxLength("name", r.name(), 200);
        }
        maxLength("description", r.description(), 2000);
        if (r.protocol() == null) {
            error("protocol", "is required: IMAP, EXCHANGE or OAUTH");
            return;
        }
        switch (r.protocol()) {
            case IMAP -> imap(r.imap());
            case EXCHANGE -> exchange(r.exchange());
            case OAUTH -> oauth(r.oauth());
        }
        if (r.proxy() != null) {
            if (r.protocol() == Protocol.IMAP) {
                error("proxy", "applies to EXCHANGE and OAUTH connections only");
            } else {
                proxy(r.proxy());
            }
        }
        policy(r.incidentPolicy());
        if (r.polling() != null && r.polling().intervalSeconds() != null) {
            int seconds = r.polling().intervalSeconds();
            if (seconds < 1 || seconds > MAX_INTERVAL_SECONDS) {
                error("polling.intervalSeconds", "must be 1-" + MAX_INTERVAL_SECONDS);
            }
        }
    }

    private void imap(Imap imap) {
        if (imap == null) {
            error("imap", "is required when protocol is IMAP");
            return;
        }
        host("imap.host", imap.host());
        port("imap.port", imap.port());
        if (blank(imap.emailAddress())) {
            error("imap.emailAddress", "is required");
        } else {
            singleLine("imap.emailAddress", imap.emailAddress(), 320);
        }
        secretRequired("imap.password", imap.password(), SecretName.IMAP_PASSWORD, Protocol.IMAP);
        folder("imap.sourceFolder", imap.sourceFolder());
    }

    private void exchange(Exchange exchange) {
        if (exchange == null) {
            error("exchange", "is required when protocol is EXCHANGE");
            return;
        }
        if (blank(exchange.endpoint())) {
            error("exchange.endpoint", "is required, for example https://mail.example.com/EWS/Exchange.asmx");
        } else {
            // Every Exchange Online host, global and national clouds (outlook.office.com, outlook.office365.us, ...),
            // whatever else is wrong with the URL: the pointer to OAUTH is what the admin needs.
            String host = hostOf(exchange.endpoint());
            if (io.mailgate.component.ews.EwsEndpointValidator.isMicrosoft365(host)) {
                error("exchange.endpoint", "is Exchange Online (" + host + "), which no longer offers EWS;"
                        + " use protocol OAUTH (Microsoft Graph) for Microsoft 365 mailboxes");
            } else {
                httpsUrl("exchange.endpoint", exchange.endpoint());
            }
        }
        mailbox("exchange.emailAddress", exchange.emailAddress());
        secretRequired("exchange.password", exchange.password(), SecretName.EXCHANGE_PASSWORD, Protocol.EXCHANGE);
        folder("exchange.sourceFolder", exchange.sourceFolder());
    }

    private void oauth(OAuth oauth) {
        if (oauth == null) {
            error("oauth", "is required when protocol is OAUTH");
            return;
        }
        OAuthApiType apiType = oauth.apiType() == null ? OAuthApiType.MS_GRAPH : oauth.apiType();
        if (apiType == OAuthApiType.MS_GRAPH) {
            if (oauth.endpoint() != null && !GRAPH_ENDPOINTS.contains(stripSlash(oauth.endpoint()))) {
                error("oauth.endpoint", "must be one of " + String.join(", ", GRAPH_ENDPOINTS.stream().sorted().toList()));
            }
        } else if (blank(oauth.endpoint())) {
            error("oauth.endpoint", "is required for apiType EWS");
        } else {
            httpsUrl("oauth.endpoint", oauth.endpoint());
        }
        if (blank(oauth.clientId())) {
            error("oauth.clientId", "is required (the application (client) id of the Entra app)");
        } else if (!GUID.matcher(oauth.clientId()).matches()) {
            error("oauth.clientId", "must be a GUID such as 00000000-0000-0000-0000-000000000000");
        }
        if (!blank(oauth.tenantId()) && !GUID.matcher(oauth.tenantId()).matches()
                && !HOST.matcher(oauth.tenantId()).matches()) {
            error("oauth.tenantId", "must be a directory (tenant) id GUID or a domain, or empty for a multi-tenant app");
        }
        OAuthCredentialType credential = oauth.credentialType() == null
                ? OAuthCredentialType.CLIENT_SECRET : oauth.credentialType();
        if (credential == OAuthCredentialType.CLIENT_SECRET) {
            secretRequired("oauth.clientSecret", oauth.clientSecret(), SecretName.OAUTH_CLIENT_SECRET, Protocol.OAUTH);
        }
        mailbox("oauth.emailAddress", oauth.emailAddress());
        folder("oauth.sourceFolder", oauth.sourceFolder());
        if (Boolean.TRUE.equals(oauth.appOnly()) && blank(oauth.tenantId())) {
            error("oauth.tenantId", "is required for app-only access (application permissions belong to one tenant)");
        }
    }

    private void proxy(Proxy proxy) {
        if (proxy.protocol() == null) {
            error("proxy.protocol", "is required: HTTP or HTTPS");
        }
        host("proxy.host", proxy.host());
        port("proxy.port", proxy.port());
        if (!blank(proxy.password()) && blank(proxy.username())) {
            error("proxy.username", "is required when a proxy password is given");
        }
        if (proxy.username() != null) {
            singleLine("proxy.username", proxy.username(), 256);
        }
    }

    private void policy(ConnectionRequest.IncidentPolicyInput policy) {
        if (policy == null || policy.referencePattern() == null) {
            return;
        }
        String pattern = policy.referencePattern();
        if (pattern.length() > 500) {
            error("incidentPolicy.referencePattern", "must be at most 500 characters");
            return;
        }
        try {
            if (Pattern.compile(pattern).matcher("").groupCount() < 1) {
                error("incidentPolicy.referencePattern", "must have a capturing group for the incident id");
            }
        } catch (PatternSyntaxException e) {
            error("incidentPolicy.referencePattern", "is not a valid regular expression: " + e.getDescription());
        }
    }

    /** The shared-mailbox form primary\shared: the part after the last backslash must be user@domain. */
    private void mailbox(String field, String value) {
        if (blank(value)) {
            error(field, "is required");
            return;
        }
        if (!singleLine(field, value, 640)) {
            return;
        }
        int slash = value.lastIndexOf('\\');
        if (slash < 0) {
            if (!MAILBOX.matcher(value).matches()) {
                error(field, "must be an email address user@domain, or primary\\shared for a shared mailbox");
            }
        } else if (slash == 0 || blank(value.substring(0, slash))) {
            error(field, "names a shared mailbox but no primary account before the backslash");
        } else if (!MAILBOX.matcher(value.substring(slash + 1)).matches()) {
            error(field, "the shared mailbox after the last backslash must be user@domain");
        }
    }

    /** The host of a URL as typed, also when the URL is otherwise malformed; null when there is none. */
    private static String hostOf(String value) {
        String v = value.trim();
        int scheme = v.indexOf("://");
        String rest = scheme >= 0 ? v.substring(scheme + 3) : v;
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = authority.indexOf(':');
        return colon >= 0 ? authority.substring(0, colon) : authority;
    }

    private URI httpsUrl(String field, String value) {
        try {
            URI uri = new URI(value.trim());
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                error(field, "must have the form https://host/path");
                return null;
            }
            if (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath())) {
                error(field, "must have the form https://host/path, for example https://mail.example.com/EWS/Exchange.asmx");
                return null;
            }
            if (uri.getUserInfo() != null) {
                error(field, "must not carry credentials; use the password field");
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            error(field, "is not a valid URL: " + e.getReason());
            return null;
        }
    }

    private void host(String field, String host) {
        if (blank(host)) {
            error(field, "is required");
        } else if (!HOST.matcher(host.trim()).matches()) {
            error(field, "must be a host name or an IP address");
        }
    }

    private void port(String field, Integer port) {
        if (port == null) {
            error(field, "is required");
        } else if (port < 1 || port > 65535) {
            error(field, "must be 1-65535");
        }
    }

    private void folder(String field, String folder) {
        if (folder != null && !folder.isEmpty()) {
            singleLine(field, folder, 255);
        }
    }

    private void secretRequired(String field, String value, SecretName name, Protocol protocol) {
        boolean kept = existing != null && existing.getProtocol() == protocol && existing.hasSecret(name);
        if ((value == null || value.isEmpty()) && !kept) {
            error(field, "is required");
        }
    }

    private boolean singleLine(String field, String value, int max) {
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            error(field, "must be a single line");
            return false;
        }
        return maxLength(field, value, max);
    }

    private boolean maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            error(field, "must be at most " + max + " characters");
            return false;
        }
        return true;
    }

    private void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    static String stripSlash(String url) {
        String trimmed = url.trim();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1).toLowerCase(Locale.ROOT)
                : trimmed.toLowerCase(Locale.ROOT);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

package io.mailgate.connection;

import io.mailgate.api.ApiProblem.FieldError;
import io.mailgate.connection.ConnectionRequest.OAuth;
import io.mailgate.connection.ConnectionRequest.Proxy;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Checks a connection as a client sent it and names every field that is wrong, so that one answer tells the
 * admin everything to fix. Each field's own form is declared by Bean Validation annotations on
 * {@link ConnectionRequest}; this class runs them and holds the rules that no single field can state: which block
 * the protocol needs (and that the other blocks are ignored), which secret is required unless one is stored,
 * the OAuth endpoint for the API type, app-only access needing a tenant, the proxy's user name for its password,
 * and that an API name never changes. {@code existing} is the stored connection on PUT (its secrets may be kept).
 */
@Component
class ConnectionValidator {

    static final Set<String> GRAPH_ENDPOINTS = Set.of(
            "https://graph.microsoft.com",
            "https://graph.microsoft.us",
            "https://dod-graph.microsoft.us",
            "https://microsoftgraph.chinacloudapi.cn");

    /** Every field path of a request in declaration order ("apiName", …, "imap", "imap.host", …): the answer's. */
    private static final List<String> FIELD_ORDER = fieldPaths(ConnectionRequest.class, "");

    private final Validator validator;

    ConnectionValidator(Validator validator) {
        this.validator = validator;
    }

    List<FieldError> validate(ConnectionRequest request, ConnectionEntity existing) {
        List<FieldError> errors = new ArrayList<>(fieldRules(request));
        errors.addAll(crossFieldRules(request, existing));
        errors.sort(Comparator.comparingInt(e -> {
            int at = FIELD_ORDER.indexOf(e.field());
            return at < 0 ? FIELD_ORDER.size() : at;
        }));
        return List.copyOf(errors);
    }

    /**
     * The annotations' verdicts on the blocks the protocol uses (an unused block is ignored when saving, so are
     * its errors). A field gets one kind of message: that it is missing, else that it is too long, else that it
     * has a line break, else what is wrong with its form ("" breaks a pattern too, but "is required" is what the
     * admin needs to read).
     */
    private List<FieldError> fieldRules(ConnectionRequest r) {
        Map<String, List<ConstraintViolation<ConnectionRequest>>> byField = validator.validate(r).stream()
                .filter(v -> inUse(r, v.getPropertyPath().toString()))
                .collect(Collectors.groupingBy(v -> v.getPropertyPath().toString()));
        List<FieldError> errors = new ArrayList<>();
        byField.forEach((field, violations) -> {
            int first = violations.stream()
                    .mapToInt(ConnectionValidator::rank)
                    .min()
                    .orElseThrow();
            violations.stream()
                    .filter(v -> rank(v) == first)
                    .map(ConstraintViolation::getMessage)
                    .distinct()
                    .sorted()
                    .forEach(message -> errors.add(new FieldError(field, message)));
        });
        return errors;
    }

    private static int rank(ConstraintViolation<?> violation) {
        Class<? extends Annotation> type =
                violation.getConstraintDescriptor().getAnnotation().annotationType();
        return type == NotNull.class || type == NotBlank.class
                ? 0
                : type == Size.class ? 1 : type == SingleLine.class ? 2 : 3;
    }

    private static boolean inUse(ConnectionRequest r, String field) {
        String block = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        return switch (block) {
            case "imap" -> r.protocol() == Protocol.IMAP;
            case "exchange" -> r.protocol() == Protocol.EXCHANGE;
            case "oauth" -> r.protocol() == Protocol.OAUTH;
            case "proxy" -> r.protocol() == Protocol.EXCHANGE || r.protocol() == Protocol.OAUTH;
            default -> true;
        };
    }

    private static List<FieldError> crossFieldRules(ConnectionRequest r, ConnectionEntity existing) {
        Rules rules = new Rules(existing);
        if (existing != null && r.apiName() != null && !existing.getApiName().equals(r.apiName())) {
            rules.error("apiName", "cannot be changed (it is " + existing.getApiName() + ")");
        }
        if (r.protocol() == null) {
            return rules.errors;
        }
        switch (r.protocol()) {
            case IMAP -> {
                if (rules.present("imap", r.imap(), Protocol.IMAP)) {
                    rules.secret("imap.password", r.imap().password(), SecretName.IMAP_PASSWORD, Protocol.IMAP);
                }
            }
            case EXCHANGE -> {
                if (rules.present("exchange", r.exchange(), Protocol.EXCHANGE)) {
                    rules.secret(
                            "exchange.password",
                            r.exchange().password(),
                            SecretName.EXCHANGE_PASSWORD,
                            Protocol.EXCHANGE);
                }
            }
            case OAUTH -> {
                if (rules.present("oauth", r.oauth(), Protocol.OAUTH)) {
                    oauth(r.oauth(), rules);
                }
            }
        }
        if (r.proxy() != null) {
            if (r.protocol() == Protocol.IMAP) {
                rules.error("proxy", "applies to EXCHANGE and OAUTH connections only");
            } else {
                proxy(r.proxy(), rules);
            }
        }
        return rules.errors;
    }

    private static void oauth(OAuth oauth, Rules rules) {
        OAuthApiType apiType = oauth.apiType() == null ? OAuthApiType.MS_GRAPH : oauth.apiType();
        if (apiType == OAuthApiType.MS_GRAPH) {
            if (oauth.endpoint() != null && !GRAPH_ENDPOINTS.contains(stripSlash(oauth.endpoint()))) {
                rules.error(
                        "oauth.endpoint",
                        "must be one of "
                                + String.join(
                                        ", ", GRAPH_ENDPOINTS.stream().sorted().toList()));
            }
        } else if (blank(oauth.endpoint())) {
            rules.error("oauth.endpoint", "is required for apiType EWS");
        } else {
            HttpsEndpoint.Check.problem(oauth.endpoint()).ifPresent(message -> rules.error("oauth.endpoint", message));
        }
        OAuthCredentialType credential =
                oauth.credentialType() == null ? OAuthCredentialType.CLIENT_SECRET : oauth.credentialType();
        if (credential == OAuthCredentialType.CLIENT_SECRET) {
            rules.secret("oauth.clientSecret", oauth.clientSecret(), SecretName.OAUTH_CLIENT_SECRET, Protocol.OAUTH);
        }
        if (Boolean.TRUE.equals(oauth.appOnly()) && blank(oauth.tenantId())) {
            rules.error(
                    "oauth.tenantId", "is required for app-only access (application permissions belong to one tenant)");
        }
    }

    private static void proxy(Proxy proxy, Rules rules) {
        if (!blank(proxy.password()) && blank(proxy.username())) {
            rules.error("proxy.username", "is required when a proxy password is given");
        }
    }

    /** The cross-field rules' errors, and what they need to know of the stored connection. */
    private static final class Rules {

        private final List<FieldError> errors = new ArrayList<>();
        private final ConnectionEntity existing;

        Rules(ConnectionEntity existing) {
            this.existing = existing;
        }

        boolean present(String block, Object value, Protocol protocol) {
            if (value == null) {
                error(block, "is required when protocol is " + protocol);
            }
            return value != null;
        }

        /** A secret may be left out when the stored connection, of the same protocol, has one. */
        void secret(String field, String value, SecretName name, Protocol protocol) {
            boolean kept = existing != null && existing.getProtocol() == protocol && existing.hasSecret(name);
            if ((value == null || value.isEmpty()) && !kept) {
                error(field, "is required");
            }
        }

        void error(String field, String message) {
            errors.add(new FieldError(field, message));
        }
    }

    private static List<String> fieldPaths(Class<?> record, String prefix) {
        List<String> paths = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            String path = prefix + component.getName();
            paths.add(path);
            if (component.getType().isRecord()) {
                paths.addAll(fieldPaths(component.getType(), path + "."));
            }
        }
        return List.copyOf(paths);
    }

    static String stripSlash(String url) {
        String trimmed = url.trim();
        return trimmed.endsWith("/")
                ? trimmed.substring(0, trimmed.length() - 1).toLowerCase(Locale.ROOT)
                : trimmed.toLowerCase(Locale.ROOT);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

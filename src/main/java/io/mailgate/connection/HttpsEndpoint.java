package io.mailgate.connection;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.mailgate.component.ews.EwsEndpointValidator;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * An EWS endpoint: {@code https://host/path}, without credentials. With {@code onPremises}, Exchange Online
 * hosts are refused first, whatever else is wrong with the URL: the pointer to OAUTH is what the admin needs.
 * Null and blank are valid here ({@code @NotBlank} says "is required").
 */
@Constraint(validatedBy = HttpsEndpoint.Check.class)
@Target({FIELD, METHOD, PARAMETER})
@Retention(RUNTIME)
@interface HttpsEndpoint {

    /** An Exchange server reached with a password: not Exchange Online, which no longer offers EWS. */
    boolean onPremises() default false;

    String message() default "must have the form https://host/path";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<HttpsEndpoint, String> {

        private boolean onPremises;

        @Override
        public void initialize(HttpsEndpoint annotation) {
            onPremises = annotation.onPremises();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || value.isBlank()) {
                return true;
            }
            String host = hostOf(value);
            if (onPremises && EwsEndpointValidator.isMicrosoft365(host)) {
                return Violations.reject(
                        context,
                        "is Exchange Online (" + host + "), which no longer offers EWS;"
                                + " use protocol OAUTH (Microsoft Graph) for Microsoft 365 mailboxes");
            }
            return problem(value)
                    .map(message -> Violations.reject(context, message))
                    .orElse(true);
        }

        /** What is wrong with {@code value} as an EWS endpoint URL, if anything. */
        static Optional<String> problem(String value) {
            try {
                URI uri = new URI(value.trim());
                if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    return Optional.of("must have the form https://host/path");
                }
                if (uri.getPath() == null || uri.getPath().isEmpty() || "/".equals(uri.getPath())) {
                    return Optional.of(
                            "must have the form https://host/path, for example https://mail.example.com/EWS/Exchange.asmx");
                }
                if (uri.getUserInfo() != null) {
                    return Optional.of("must not carry credentials; use the password field");
                }
                return Optional.empty();
            } catch (URISyntaxException e) {
                return Optional.of("is not a valid URL: " + e.getReason());
            }
        }

        /** The host of a URL as typed, also when the URL is otherwise malformed. */
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
    }
}

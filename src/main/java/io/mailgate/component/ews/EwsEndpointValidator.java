package io.mailgate.component.ews;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks an EWS endpoint URL before a connection is saved; no network access. */
public final class EwsEndpointValidator {

    private EwsEndpointValidator() {
    }

    /**
     * @return a message for the user naming what is wrong, or empty when the URL is a plausible on-premises
     *         EWS endpoint
     */
    public static Optional<String> validate(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return Optional.of("The EWS endpoint is required, such as https://mail.example.com/EWS/Exchange.asmx.");
        }
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            return Optional.of("The EWS endpoint is not a valid URL: " + e.getReason() + ".");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return Optional.of("The EWS endpoint must be a full URL, such as https://mail.example.com/EWS/Exchange.asmx.");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("The EWS endpoint must not contain a user name or password; use the password field.");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (isMicrosoft365(host)) {
            return Optional.of("Exchange Online (" + uri.getHost() + ") does not accept passwords for EWS: Microsoft has "
                    + "turned off basic authentication and is retiring EWS. Use the OAuth protocol (Microsoft Graph) "
                    + "for Microsoft 365 mailboxes.");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of("The EWS endpoint must use https, so that the password is not sent in clear.");
        }
        return Optional.empty();
    }

    static boolean isMicrosoft365(String host) {
        return host.equals("outlook.office365.com") || host.endsWith(".office365.com")
                || host.equals("outlook.office.com") || host.endsWith(".outlook.com")
                || host.endsWith(".office365.us") || host.endsWith(".partner.outlook.cn");
    }
}

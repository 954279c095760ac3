package io.mailgate.component.ews;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Checks an EWS endpoint URL before a connection is saved; no network access. */
public final class EwsEndpointValidator {

    private EwsEndpointValidator() {}

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
            return Optional.of(
                    "The EWS endpoint must be a full URL, such as https://mail.example.com/EWS/Exchange.asmx.");
        }
        if (uri.getUserInfo() != null) {
            return Optional.of("The EWS endpoint must not contain a user name or password; use the password field.");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (isMicrosoft365(host)) {
            return Optional.of(
                    "Exchange Online (" + uri.getHost() + ") does not accept passwords for EWS: Microsoft has "
                            + "turned off basic authentication and is retiring EWS. Use the OAuth protocol (Microsoft Graph) "
                            + "for Microsoft 365 mailboxes.");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            return Optional.of("The EWS endpoint must use https, so that the password is not sent in clear.");
        }
        return Optional.empty();
    }

    /**
     * Exchange Online's domains in the global cloud and the national clouds (GCC High and DoD in the US, 21Vianet in
     * China, the retired Microsoft Cloud Germany): every host under them is Microsoft 365, never an on-premises
     * Exchange.
     */
    private static final List<String> EXCHANGE_ONLINE_DOMAINS = List.of(
            "office365.com",
            "office.com",
            "outlook.com",
            "office.net",
            "microsoft365.com",
            "office365.us",
            "office365.com.cn",
            "outlook.cn",
            "partner.outlook.cn",
            "office.de",
            "webmail.apps.mil");

    /** Whether the host is Exchange Online (any cloud), which does not offer EWS with a password. */
    public static boolean isMicrosoft365(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT).strip();
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // outlook.office.com. is the same host
        }
        for (String domain : EXCHANGE_ONLINE_DOMAINS) {
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }
}

package io.mailgate.web;

import java.net.URI;
import java.util.Locale;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The redirect URI to register in Entra comes from {@code mailgate.oauth.public-url}, never from the request (a
 * Host header must not decide where Microsoft sends a code). When the page itself was reached at another base
 * URL, that setting is probably wrong (mailgate moved to another port or host, or sits behind a proxy), and
 * registering the shown URI would fail: the page says so.
 */
final class RedirectUriCheck {

    private RedirectUriCheck() {}

    /** A warning for the page, or null when the request's base URL is the configured public URL. */
    static String warning(URI publicUrl) {
        URI requested =
                ServletUriComponentsBuilder.fromCurrentContextPath().build().toUri();
        if (base(requested).equals(base(publicUrl))) {
            return null;
        }
        return "This page was opened at " + base(requested) + ", but mailgate.oauth.public-url is " + base(publicUrl)
                + ". The redirect URI below and the sign-in of Grant Access use the setting: if browsers reach mailgate "
                + "at another address, set mailgate.oauth.public-url (or MAILGATE_OAUTH_PUBLIC_URL) to it and restart "
                + "before registering the redirect URI in Entra. (Behind a reverse proxy, set "
                + "server.forward-headers-strategy=framework so that mailgate sees the address browsers use.)";
    }

    /** scheme://host[:port][/path] with the default port left out and no trailing slash, for comparing. */
    static String base(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
    }
}

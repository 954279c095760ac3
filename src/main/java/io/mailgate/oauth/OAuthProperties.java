package io.mailgate.oauth;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Microsoft 365 connections.
 *
 * @param publicUrl         mailgate's URL as a browser reaches it; the redirect URI registered in Entra is
 *                          this plus /email-oauth
 * @param grantTtl          how long a Grant Access link may be completed
 * @param authorityOverride replaces login.microsoftonline.* (a test simulator or a sovereign proxy); unset
 *                          in production
 * @param graphOverride     replaces the Graph endpoint of every connection (a test simulator); unset in
 *                          production
 */
@ConfigurationProperties("mailgate.oauth")
public record OAuthProperties(URI publicUrl, Duration grantTtl, URI authorityOverride, String graphOverride) {

    public OAuthProperties {
        publicUrl = publicUrl == null ? URI.create("http://localhost:8080") : publicUrl;
        grantTtl = grantTtl == null ? Duration.ofMinutes(10) : grantTtl;
    }

    public URI redirectUri() {
        String base = publicUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/email-oauth");
    }
}

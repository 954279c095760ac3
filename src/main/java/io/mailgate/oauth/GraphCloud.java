package io.mailgate.oauth;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Microsoft national clouds: each Graph endpoint is served by the login authority of the same
 * cloud. A token from one cloud is not accepted by another, so the pair is fixed here.
 */
public enum GraphCloud {
    GLOBAL("https://graph.microsoft.com", "https://login.microsoftonline.com"),
    USGOV("https://graph.microsoft.us", "https://login.microsoftonline.us"),
    DOD("https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
    CHINA("https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn");

    private final URI graphEndpoint;
    private final URI loginAuthority;

    GraphCloud(String graphEndpoint, String loginAuthority) {
        this.graphEndpoint = URI.create(graphEndpoint);
        this.loginAuthority = URI.create(loginAuthority);
    }

    public URI graphEndpoint() {
        return graphEndpoint;
    }

    public URI loginAuthority() {
        return loginAuthority;
    }

    /** The cloud whose Graph endpoint this is (trailing slash and case ignored). */
    public static Optional<GraphCloud> ofGraphEndpoint(String endpoint) {
        if (endpoint == null) {
            return Optional.empty();
        }
        String normalized = endpoint.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        return Arrays.stream(values())
                .filter(c -> c.graphEndpoint.toString().equals(normalized))
                .findFirst();
    }

    /**
     * The scope prefix for delegated Graph permissions. Outside the global cloud a bare
     * "Mail.ReadWrite" would name the global Graph resource, so the cloud's resource is spelled out.
     */
    String scopePrefix() {
        return this == GLOBAL ? "" : graphEndpoint + "/";
    }
}

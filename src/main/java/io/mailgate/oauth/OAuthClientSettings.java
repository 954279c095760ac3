package io.mailgate.oauth;

import java.net.URI;
import java.util.Objects;

/**
 * A Microsoft Entra app registration as a connection uses it.
 *
 * @param cloud             the national cloud (its login authority and Graph resource)
 * @param authorityOverride replaces the cloud's login host, e.g. a simulator in tests; null normally
 * @param clientId          the application (client) id
 * @param tenantId          the directory (tenant) id; null or blank for a multi-tenant app ("organizations")
 * @param credential        a client secret or a certificate with its key
 */
public record OAuthClientSettings(
        GraphCloud cloud, URI authorityOverride, String clientId, String tenantId, ClientCredential credential) {

    /** The authority path segment of a multi-tenant app: work and school accounts of any tenant. */
    public static final String MULTI_TENANT = "organizations";

    public OAuthClientSettings {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(credential, "credential");
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        if (tenantId != null && !tenantId.isBlank() && !tenantId.matches("[A-Za-z0-9.\\-]+")) {
            throw new IllegalArgumentException("tenantId must be a GUID or a domain name");
        }
        if (authorityOverride != null && authorityOverride.getScheme() == null) {
            throw new IllegalArgumentException("authorityOverride must be an absolute URL");
        }
    }

    public OAuthClientSettings(GraphCloud cloud, String clientId, String tenantId, ClientCredential credential) {
        this(cloud, null, clientId, tenantId, credential);
    }

    /** The tenant segment of the authority: the tenant id, or "organizations" when blank. */
    public String tenantSegment() {
        return tenantId == null || tenantId.isBlank() ? MULTI_TENANT : tenantId.trim();
    }

    /** {@code https://login.microsoftonline.com/{tenant}} (or the override's host). */
    public URI authority() {
        URI host = authorityOverride != null ? authorityOverride : cloud.loginAuthority();
        String base = host.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + tenantSegment());
    }

    public URI authorizeEndpoint() {
        return URI.create(authority() + "/oauth2/v2.0/authorize");
    }

    public URI tokenEndpoint() {
        return URI.create(authority() + "/oauth2/v2.0/token");
    }

    @Override
    public String toString() {
        return "OAuthClientSettings[cloud=" + cloud + ", authority=" + authority() + ", clientId=" + clientId
                + ", credential=" + credential + "]";
    }
}

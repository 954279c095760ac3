package io.mailgate.account;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** Before authentication it carries the presented key; after, only the {@link ApiKeyPrincipal}. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private String presentedKey;
    private final ApiKeyPrincipal principal;

    private ApiKeyAuthentication(String presentedKey) {
        super(List.of());
        this.presentedKey = presentedKey;
        this.principal = null;
    }

    private ApiKeyAuthentication(ApiKeyPrincipal principal) {
        super(List.of(new SimpleGrantedAuthority("ROLE_API_KEY")));
        this.principal = principal;
        setAuthenticated(true);
    }

    static ApiKeyAuthentication unauthenticated(String presentedKey) {
        return new ApiKeyAuthentication(presentedKey);
    }

    static ApiKeyAuthentication authenticated(ApiKeyPrincipal principal) {
        return new ApiKeyAuthentication(principal);
    }

    @Override
    public Object getCredentials() {
        return presentedKey;
    }

    @Override
    public Object getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal != null ? principal.name() : "api-key";
    }

    @Override
    public void eraseCredentials() {
        presentedKey = null;
        super.eraseCredentials();
    }

    @Override
    public String toString() {
        // AbstractAuthenticationToken's toString is careful too, but make it explicit: never the key
        return "ApiKeyAuthentication[" + getName() + ", authenticated=" + isAuthenticated() + "]";
    }
}

package io.mailgate.account;

import java.util.Collection;
import java.util.List;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A signed-in user. Organization roles are not authorities here: they depend on the organization in
 * the path and are checked by {@link OrgAccess}. The one global authority is system admin.
 */
public final class UserPrincipal implements UserDetails, CredentialsContainer {

    public static final String SYSTEM_ADMIN_AUTHORITY = "ROLE_SYSTEM_ADMIN";

    private final long userId;
    private final String username;
    private final boolean systemAdmin;
    private String passwordHash;

    UserPrincipal(UserAccount account) {
        this.userId = account.getId();
        this.username = account.getUsername();
        this.systemAdmin = account.isSystemAdmin();
        this.passwordHash = account.getPasswordHash();
    }

    long userId() {
        return userId;
    }

    boolean systemAdmin() {
        return systemAdmin;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return systemAdmin
                ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority(SYSTEM_ADMIN_AUTHORITY))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
    }

    /** Called once authentication succeeded: the hash is not needed for the rest of the request. */
    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    @Override
    public String toString() {
        return "UserPrincipal[" + username + (systemAdmin ? ", system admin]" : "]");
    }
}

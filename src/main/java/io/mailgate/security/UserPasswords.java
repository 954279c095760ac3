package io.mailgate.security;

import io.mailgate.account.AccountUserDetailsService;
import io.mailgate.api.CredentialsNotCheckedException;
import io.mailgate.api.DatabaseOutage;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a user's password (form sign-in and HTTP Basic) as Spring's {@link DaoAuthenticationProvider} does, with one
 * difference: a password that could not be checked because the database is unavailable fails as
 * {@link CredentialsNotCheckedException}, as an API key does, not as the {@link InternalAuthenticationServiceException}
 * Spring wraps every failed user lookup in (which its sign-in form logs at ERROR with a stack trace per attempt).
 */
final class UserPasswords extends DaoAuthenticationProvider {

    UserPasswords(AccountUserDetailsService users, PasswordEncoder passwords) {
        super(users);
        setPasswordEncoder(passwords);
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        try {
            return super.authenticate(authentication);
        } catch (InternalAuthenticationServiceException e) {
            if (DatabaseOutage.causedBy(e)) {
                throw new CredentialsNotCheckedException("The password", e);
            }
            throw e;
        }
    }
}

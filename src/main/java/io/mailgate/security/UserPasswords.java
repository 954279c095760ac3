package io.mailgate.security;

import io.mailgate.account.AccountUserDetailsService;
import io.mailgate.api.DatabaseOutage;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Checks a user's password (form sign-in and HTTP Basic) as Spring's {@link DaoAuthenticationProvider} does, with one
 * difference: a password that could not be checked because the database is unavailable fails as
 * {@link PasswordNotChecked}, not as Spring's {@link InternalAuthenticationServiceException}. Spring's sign-in form
 * logs the latter at ERROR with a stack trace, once per attempt, for as long as the outage lasts; the outage is
 * already logged in one line where it is answered (the form's failure handler, the API's entry point).
 */
final class UserPasswords extends DaoAuthenticationProvider {

    /** The password was neither accepted nor refused: the database that holds it could not be asked. */
    static final class PasswordNotChecked extends AuthenticationServiceException {
        PasswordNotChecked(Throwable outage) {
            super("The password could not be checked: the database is unavailable", outage);
        }
    }

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
                // Not a failed sign-in either: Spring publishes no failure event for this class (its mapping is by
                // exact class), so the sign-in throttle does not count it (DatabaseOutageTest keeps it so).
                throw new PasswordNotChecked(e);
            }
            throw e;
        }
    }
}

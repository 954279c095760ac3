package io.mailgate.api;

import org.springframework.security.core.AuthenticationException;

/**
 * A password or API key that could be neither accepted nor refused, because the database that holds it is
 * unavailable ({@link DatabaseOutage}). Both of mailgate's authentication providers fail this way, so that every way
 * of signing in meets the outage through Spring's ordinary paths:
 *
 * <ul>
 *   <li>HTTP Basic and the API key filter hand it to {@link ProblemAuthenticationEntryPoint}: 503 and one WARN line.
 *       It is deliberately no {@code AuthenticationServiceException}: Spring's failure handler would rethrow that
 *       into the servlet container, which logs a stack trace per request;
 *   <li>the sign-in form hands it to its failure handler, which shows "could not be checked". Spring's form filter
 *       logs an {@code InternalAuthenticationServiceException} at ERROR with a stack trace per attempt; this it does
 *       not log;
 *   <li>Spring publishes no failure event for it (its mapping is by exact class), so the sign-in throttle does not
 *       count an outage as failed sign-ins (DatabaseOutageTest keeps it so).
 * </ul>
 */
public class CredentialsNotCheckedException extends AuthenticationException {

    public CredentialsNotCheckedException(String what, Throwable outage) {
        super(what + " could not be checked: the database is unavailable", outage);
    }
}

package io.mailgate.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/** 401 as problem+json with a Basic challenge, instead of a login page or an empty body. */
@Component
public class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private static final Logger log = LoggerFactory.getLogger(ProblemAuthenticationEntryPoint.class);

    static final String CHALLENGE = "Basic realm=\"mailgate\"";

    private final ProblemResponses problems;

    ProblemAuthenticationEntryPoint(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (DatabaseOutage.causedBy(e)) {
            // the credentials could not be checked, which is not the same as refused (DatabaseOutage); one line in
            // the log, as ProblemDetailsAdvice writes for the same outage
            log.warn(
                    "Database unavailable on {}: credentials could not be checked: {}",
                    request.getRequestURI(),
                    DatabaseOutage.cause(e));
            response.setHeader(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER);
            problems.write(request, response, DatabaseOutage.STATUS, DatabaseOutage.DETAIL);
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        // Same words for an unknown user, a wrong password and an unknown key: reveal nothing.
        String detail = e instanceof BadCredentialsException
                ? "Invalid credentials"
                : "Authentication required: HTTP Basic, or an API key as 'Authorization: Bearer <key>'";
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }
}

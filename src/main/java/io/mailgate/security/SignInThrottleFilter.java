package io.mailgate.security;

import io.mailgate.api.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a password sign-in (HTTP Basic, or the sign-in form's POST) from an address or for an account that
 * failed too often lately, before the password is checked: 429 problem+json with {@code Retry-After} for a
 * script, the sign-in page with a message for a browser. Requests with an API key or a session pass by.
 * Failures are counted from Spring Security's events ({@code SignInEvents}), not here.
 */
class SignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;
    private final ProblemResponses problems;
    /** The sign-in form's POST; null in the API's chain, which has no form. */
    private final RequestMatcher signInForm;

    SignInThrottleFilter(SignInThrottle throttle, ProblemResponses problems, RequestMatcher signInForm) {
        this.throttle = throttle;
        this.problems = problems;
        this.signInForm = signInForm;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean form = signInForm != null && signInForm.matches(request);
        String account = form ? request.getParameter("username") : basicUserName(request);
        if (account == null) {
            chain.doFilter(request, response);
            return;
        }
        var refusal = throttle.check(request.getRemoteAddr(), account);
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = refusal.get().retryAfterSeconds();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        if (form) {
            response.sendRedirect(request.getContextPath() + "/login?throttled");
            return;
        }
        // Same words for an address and an account limit, so the answer does not tell whether the account exists.
        problems.write(
                request,
                response,
                HttpStatus.TOO_MANY_REQUESTS,
                "Too many failed sign-ins from this " + "address or for this account. Try again in " + seconds
                        + " seconds; an API key is not affected.");
    }

    /** The user name of an {@code Authorization: Basic} header, or null for anything else (or unreadable). */
    static String basicUserName(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null
                || header.length() < 6
                || !header.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return null;
        }
        try {
            String decoded =
                    new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}

package io.mailgate.security;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Feeds the throttle from Spring Security's own events, so that it sees exactly the sign-ins whose password was
 * checked (HTTP Basic on the API and the pages, and the sign-in form) and nothing else; API keys are another kind
 * of authentication and pass by. The address is the one Spring Security recorded: the connection's, unless
 * forwarded headers are trusted ({@code server.forward-headers-strategy}).
 */
@Component
class SignInEvents {

    private final SignInThrottle throttle;

    SignInEvents(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        Authentication attempt = event.getAuthentication();
        String address = address(attempt);
        if (attempt instanceof UsernamePasswordAuthenticationToken && address != null) {
            throttle.failed(address, attempt.getName());
        }
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        Authentication result = event.getAuthentication();
        String address = address(result);
        if (result instanceof UsernamePasswordAuthenticationToken && address != null) {
            throttle.succeeded(address, result.getName());
        }
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress()
                : null;
    }
}

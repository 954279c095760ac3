package io.mailgate.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * Sends a browser that is not signed in (or whose session ended) to the sign-in page. An htmx request (a list
 * refreshing itself) would follow a redirect and swap the sign-in page into a piece of the current page; it is
 * told with {@code HX-Refresh} to reload the whole page instead, which comes here again as a page, so that after
 * signing in the user is back on that page, not on the piece.
 */
class SignInEntryPoint implements AuthenticationEntryPoint {

    private final LoginUrlAuthenticationEntryPoint redirect = new LoginUrlAuthenticationEntryPoint("/login");

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException, ServletException {
        if ("true".equals(request.getHeader("HX-Request"))) {
            response.setHeader("HX-Refresh", "true");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        redirect.commence(request, response, failure);
    }
}

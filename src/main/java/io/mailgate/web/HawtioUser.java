package io.mailgate.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Hawtio asks {@code <hawtio>/user} who is signed in. Its own login is off (mailgate's sign-in protects it), and
 * then its servlet answers "public" to everyone. This filter answers that one request with the user mailgate's
 * sign-in established; it runs after Spring Security, which lets only system admins reach /actuator.
 * (Turning Hawtio's own authentication on instead would make it run its own login and role checks.)
 */
@Configuration(proxyBeanMethods = false)
class HawtioUser {

    @Bean
    FilterRegistrationBean<Filter> hawtioSignedInUser(ObjectMapper json) {
        Filter filter = (request, response, chain) -> {
            Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
            if (request instanceof HttpServletRequest http
                    && "GET".equals(http.getMethod())
                    && signedIn != null
                    && signedIn.isAuthenticated()
                    && response instanceof HttpServletResponse answer) {
                answer.setContentType(MediaType.APPLICATION_JSON_VALUE);
                answer.setCharacterEncoding(StandardCharsets.UTF_8.name());
                answer.getWriter().write(json.writeValueAsString(signedIn.getName()));
                return;
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/actuator/hawtio/user", "/actuator/hawtio/user/*");
        registration.setName("hawtioSignedInUser");
        return registration;
    }
}

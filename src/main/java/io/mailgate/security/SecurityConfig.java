package io.mailgate.security;

import io.mailgate.account.AccountUserDetailsService;
import io.mailgate.account.ApiKeyAuthenticationProvider;
import io.mailgate.account.ApiKeyRepository;
import io.mailgate.account.BearerApiKeyConverter;
import io.mailgate.account.UserPrincipal;
import io.mailgate.api.DatabaseOutage;
import io.mailgate.api.ProblemAccessDeniedHandler;
import io.mailgate.api.ProblemAuthenticationEntryPoint;
import io.mailgate.api.ProblemResponses;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Two filter chains: the API (stateless; HTTP Basic or an API key; 401 as problem+json) and
 * everything else: the admin pages (form sign-in, a session), public docs and health, and the admin-only
 * actuator where Hawtio and Jolokia live. A browser session is protected against CSRF in one way for both
 * the pages and Hawtio: the token in cookie XSRF-TOKEN, sent back in header X-XSRF-TOKEN (Hawtio, htmx) or
 * in the form field {@code _csrf} (Thymeleaf adds it to every POST form). A browser that is not signed in
 * is sent to the sign-in page; a script gets 401 as problem+json. Password sign-ins (Basic and the form) go
 * through the {@link SignInThrottle} first, in both chains; API keys do not.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /** Reachable without signing in. */
    private static final String[] PUBLIC_PATHS = {
        "/actuator/health",
        "/actuator/health/**",
        "/v3/api-docs",
        "/v3/api-docs/**",
        "/swagger-ui/**",
        "/swagger-ui.html",
        "/email-oauth",
        "/error",
        "/login",
        "/css/**",
        "/js/**",
        "/webjars/**",
        "/favicon.ico",
        "/favicon.svg",
    };

    /**
     * The admin pages' content policy: our own scripts and styles only (no inline code), images only from
     * us or data: URIs, so a sanitized email body that still names a remote image cannot fetch it.
     * Hawtio (under /actuator) brings its own inline styles and is left out; Swagger UI sets inline styles
     * too and gets the same policy with those allowed (it shows no email content).
     */
    static final String PAGE_CONTENT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    static final String SWAGGER_CONTENT_POLICY =
            PAGE_CONTENT_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /**
     * Where Microsoft Graph posts change notifications: no sign-in (Microsoft has none to give; each notification is
     * checked against its subscription's clientState instead), no session, no CSRF token (no browser, no cookie).
     */
    @Bean
    @Order(0)
    SecurityFilterChain graphNotificationFilterChain(HttpSecurity http) throws Exception {
        return http.securityMatcher(new OrRequestMatcher(
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/graph/notifications"),
                        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/graph/lifecycle")))
                .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiFilterChain(
            HttpSecurity http,
            AccountUserDetailsService users,
            PasswordEncoder passwords,
            ApiKeyRepository keys,
            AuthenticationEventPublisher events,
            SignInThrottle throttle,
            ProblemResponses problems,
            ProblemAuthenticationEntryPoint entryPoint,
            ProblemAccessDeniedHandler accessDenied)
            throws Exception {
        ProviderManager authentication =
                new ProviderManager(new UserPasswords(users, passwords), new ApiKeyAuthenticationProvider(keys));
        authentication.setAuthenticationEventPublisher(events);

        AuthenticationFilter apiKeys = new AuthenticationFilter(authentication, new BearerApiKeyConverter());
        // Success: carry on down the chain (the default handler would redirect like a login form).
        apiKeys.setSuccessHandler((request, response, auth) -> {});
        // A refused key: 401 from the entry point; a key that could not be checked because the database is down
        // (CredentialsNotCheckedException): 503 from it. An internal failure is rethrown (500 with an error id).
        apiKeys.setFailureHandler(new AuthenticationEntryPointFailureHandler(entryPoint));

        return http.securityMatcher(path("/api/**"))
                .authenticationManager(authentication)
                .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
                .addFilterBefore(new SignInThrottleFilter(throttle, problems, null), BasicAuthenticationFilter.class)
                .addFilterBefore(apiKeys, BasicAuthenticationFilter.class)
                .httpBasic(basic -> basic.realmName("mailgate").authenticationEntryPoint(entryPoint))
                // Scripts and SOARs send credentials on every call: no session, so no CSRF exposure.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDenied))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain defaultFilterChain(
            HttpSecurity http,
            AccountUserDetailsService users,
            PasswordEncoder passwords,
            AuthenticationEventPublisher events,
            SignInThrottle throttle,
            ProblemResponses problems,
            ProblemAuthenticationEntryPoint entryPoint,
            ProblemAccessDeniedHandler accessDenied)
            throws Exception {
        ProviderManager authentication = new ProviderManager(new UserPasswords(users, passwords));
        authentication.setAuthenticationEventPublisher(events);
        return http.authenticationManager(authentication)
                .authorizeHttpRequests(authorize -> authorize
                        .requestMatchers(paths(PUBLIC_PATHS))
                        .permitAll()
                        // metrics, Camel, Hawtio/Jolokia: whole-system views, so system admins only
                        .requestMatchers(path("/actuator/**"))
                        .hasAuthority(UserPrincipal.SYSTEM_ADMIN_AUTHORITY)
                        .anyRequest()
                        .authenticated())
                .httpBasic(basic -> basic.realmName("mailgate").authenticationEntryPoint(entryPoint))
                .formLogin(form -> form.loginPage("/login")
                        .failureHandler(signInFailures())
                        .permitAll())
                // before the form's and Basic's filters: a throttled sign-in is refused before its password is checked
                .addFilterBefore(
                        new SignInThrottleFilter(
                                throttle,
                                problems,
                                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login")),
                        UsernamePasswordAuthenticationFilter.class)
                .requestCache(cache -> cache.requestCache(pagesToReturnTo()))
                .logout(logout -> logout.logoutUrl("/logout")
                        .logoutSuccessUrl("/login?signedOut")
                        .permitAll())
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                new NegatedRequestMatcher(
                                        new OrRequestMatcher(paths("/actuator/**", "/swagger-ui/**"))),
                                new StaticHeadersWriter("Content-Security-Policy", PAGE_CONTENT_POLICY)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                                path("/swagger-ui/**"),
                                new StaticHeadersWriter("Content-Security-Policy", SWAGGER_CONTENT_POLICY))))
                .csrf(csrf -> csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        // Hawtio sends the cookie's value as it is (not the masked form Spring uses in pages)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                // Tokens are loaded lazily; load it on every request so the cookie is there for Hawtio's first POST.
                .addFilterAfter(
                        (request, response, chain) -> {
                            if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
                                token.getToken();
                            }
                            chain.doFilter(request, response);
                        },
                        BasicAuthenticationFilter.class)
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(new SignInEntryPoint(), browserPage())
                        .defaultAuthenticationEntryPointFor(entryPoint, AnyRequestMatcher.INSTANCE)
                        // a page shows the error page (the container's /error renders HTML for browsers)
                        .defaultAccessDeniedHandlerFor(new AccessDeniedHandlerImpl(), browserPage())
                        .defaultAccessDeniedHandlerFor(accessDenied, AnyRequestMatcher.INSTANCE))
                .build();
    }

    /**
     * A refused sign-in back to the form with "not correct"; one whose password could not be checked because the
     * database is down with that instead, so nobody goes looking for a password that was right.
     */
    private static AuthenticationFailureHandler signInFailures() {
        var refused = new SimpleUrlAuthenticationFailureHandler("/login?error");
        var unavailable = new SimpleUrlAuthenticationFailureHandler("/login?unavailable");
        return (request, response, e) -> {
            if (DatabaseOutage.causedBy(e)) {
                // one line, as the API's entry point writes for the same outage
                log.warn(
                        "Database unavailable on {}: credentials could not be checked: {}",
                        request.getRequestURI(),
                        DatabaseOutage.cause(e));
                unavailable.onAuthenticationFailure(request, response, e);
            } else {
                refused.onAuthenticationFailure(request, response, e);
            }
        };
    }

    /** A browser asking for a page (or htmx asking for a piece of one), not a script asking for JSON. */
    private static RequestMatcher browserPage() {
        return new OrRequestMatcher(html(), htmx());
    }

    /**
     * Where a browser is sent back after signing in: a page it went to, never a piece of a page that htmx asked for
     * (a list's refresh after the session ended would otherwise send the user to a bare table; that page reloads
     * itself instead, see {@link SignInEntryPoint}), nor an image, a script or JSON.
     */
    private static RequestCache pagesToReturnTo() {
        HttpSessionRequestCache cache = new HttpSessionRequestCache();
        cache.setRequestMatcher(new AndRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
                html(),
                new NegatedRequestMatcher(htmx())));
        // as Spring's default: the replayed request is marked, so it is looked up only then
        cache.setMatchingRequestParameterName("continue");
        return cache;
    }

    private static RequestMatcher html() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        return html;
    }

    private static RequestMatcher htmx() {
        return new RequestHeaderRequestMatcher("HX-Request", "true");
    }

    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RequestMatcher[] paths(String... patterns) {
        RequestMatcher[] matchers = new RequestMatcher[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            matchers[i] = path(patterns[i]);
        }
        return matchers;
    }
}

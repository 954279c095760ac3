package io.mailgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mailgate.testing.SystemApiTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Sign-in throttling over real HTTP. Every address of 127.0.0.0/8 is this machine, so a client bound to
 * 127.0.0.11 and one bound to 127.0.0.12 are two client addresses to mailgate: each test uses its own.
 * A context of its own (a lower account limit than the default), so that its lockouts touch no other test.
 */
@TestPropertySource(properties = "mailgate.security.sign-in.account-max-failures=15")
class SignInThrottleTest extends SystemApiTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final ListAppender<ILoggingEvent> emailLog = new ListAppender<>();

    record Answer(int status, Map<String, String> headers, String body) {}

    @BeforeEach
    void listenToTheEmailLog() {
        emailLog.start();
        ((Logger) LoggerFactory.getLogger("mailgate.email")).addAppender(emailLog);
    }

    @AfterEach
    void stopListening() {
        ((Logger) LoggerFactory.getLogger("mailgate.email")).detachAppender(emailLog);
    }

    /** An HTTP client whose connections come from {@code address}; it keeps cookies and follows no redirect. */
    static CloseableHttpClient from(String address) throws IOException {
        InetAddress local = InetAddress.getByName(address);
        return HttpClients.custom()
                .setRoutePlanner(new DefaultRoutePlanner(null) {
                    @Override
                    protected InetAddress determineLocalAddress(HttpHost firstHop, HttpContext context) {
                        return local;
                    }
                })
                .setDefaultCookieStore(new BasicCookieStore())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .build();
    }

    Answer send(CloseableHttpClient client, HttpUriRequestBase request, Map<String, String> headers)
            throws IOException {
        headers.forEach(request::setHeader);
        return client.execute(request, response -> {
            Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Header header : response.getHeaders()) {
                byName.putIfAbsent(header.getName(), header.getValue());
            }
            String body = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            return new Answer(response.getCode(), byName, body);
        });
    }

    Answer get(CloseableHttpClient client, String path, String authorization) throws IOException {
        return get(client, path, authorization, Map.of());
    }

    Answer get(CloseableHttpClient client, String path, String authorization, Map<String, String> headers)
            throws IOException {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Authorization", authorization);
        return send(client, new HttpGet(url(path)), all);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Refused before the password is checked; the next try within one token's refill (address 30 s, account 60 s). */
    static void assertThrottled(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(429);
        assertThat(answer.headers().get("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(answer.headers().get("Retry-After"))).isBetween(1L, 60L);
        assertThat(answer.body())
                .contains("\"status\":429")
                .contains("Too many failed sign-ins from this address or for this account. Try again in ");
    }

    @Test
    void tenWrongPasswordsFromOneAddressAreThrottledWithRetryAfter() throws IOException {
        double failuresBefore = count("mailgate.signin.failures");
        double throttledBefore = count("mailgate.signin.throttled", "scope", "address");
        try (CloseableHttpClient guesser = from("127.0.0.11");
                CloseableHttpClient admin = from("127.0.0.12")) {
            for (int i = 0; i < 10; i++) {
                assertThat(get(guesser, "/api/v1/orgs", basic("nobody-" + i, "guess-" + i))
                                .status())
                        .isEqualTo(401);
            }
            // the right password does not help from there, and a forwarded header does not change who is asking
            assertThrottled(get(guesser, "/api/v1/orgs", ADMIN));
            assertThrottled(get(guesser, "/api/v1/orgs", ADMIN, Map.of("X-Forwarded-For", "127.0.0.99")));
            // pages and Hawtio's Basic sign-in are throttled the same way
            assertThat(get(guesser, "/actuator/jolokia/version", ADMIN, Map.of("Accept", "application/json"))
                            .status())
                    .isEqualTo(429);

            // the admin elsewhere signs in as ever
            assertThat(get(admin, "/api/v1/orgs", ADMIN).status()).isEqualTo(200);
            // an API key is not a password: it works even from the throttled address
            String org = newOrg("throttle");
            String key = post("/api/v1/orgs/" + org + "/api-keys", ADMIN, Map.of("name", "soar"))
                    .json()
                    .get("key")
                    .asText();
            rememberKey(key);
            assertThat(get(guesser, "/api/v1/orgs/" + org + "/incidents", bearer(key))
                            .status())
                    .isEqualTo(200);
        }
        assertThat(count("mailgate.signin.failures")).isGreaterThanOrEqualTo(failuresBefore + 10);
        assertThat(count("mailgate.signin.throttled", "scope", "address")).isGreaterThanOrEqualTo(throttledBefore + 3);

        List<String> lines =
                emailLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines)
                .filteredOn(line -> line.startsWith("signin=FAILED") && line.contains("address=127.0.0.11"))
                .hasSize(10)
                .allSatisfy(line -> assertThat(line).doesNotContain("guess-"));
        assertThat(lines)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("signin=THROTTLED scope=ADDRESS")
                        .contains("account=\"admin\"")
                        .contains("address=127.0.0.11"));
        assertThat(String.join("\n", lines)).doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    void guessingOneAccountFromManyAddressesSlowsNewAddressesOnlyNotWhereTheUserSignsIn() throws IOException {
        try (CloseableHttpClient desk = from("127.0.0.21");
                CloseableHttpClient guesser1 = from("127.0.0.22");
                CloseableHttpClient guesser2 = from("127.0.0.23");
                CloseableHttpClient newcomer = from("127.0.0.24")) {
            assertThat(get(desk, "/api/v1/orgs", ADMIN).status()).isEqualTo(200);
            // 15 failures for admin (the account limit here), each address under its own limit of 10
            for (int i = 0; i < 8; i++) {
                assertThat(get(guesser1, "/api/v1/orgs", basic("admin", "guess-" + i))
                                .status())
                        .isEqualTo(401);
            }
            for (int i = 0; i < 7; i++) {
                assertThat(get(guesser2, "/api/v1/orgs", basic("Admin", "guess-" + i))
                                .status())
                        .isEqualTo(401);
            }
            // an address that never signed in as admin must wait, even with the right password ...
            assertThrottled(get(newcomer, "/api/v1/orgs", ADMIN));
            assertThat(count("mailgate.signin.throttled", "scope", "account")).isPositive();
            // ... the address admin signs in from does not
            assertThat(get(desk, "/api/v1/orgs", ADMIN).status()).isEqualTo(200);
        }
    }

    @Test
    void theSignInPageSaysWhyItRefuses() throws IOException {
        try (CloseableHttpClient browser = from("127.0.0.31")) {
            assertThat(send(browser, new HttpGet(url("/login")), Map.of("Accept", "text/html"))
                            .status())
                    .isEqualTo(200);
            for (int i = 0; i <= 10; i++) {
                Answer tried = signIn(browser, "visitor", "guess-" + i);
                assertThat(tried.status()).isEqualTo(302);
                if (i < 10) {
                    assertThat(tried.headers().get("Location")).endsWith("/login?error");
                } else {
                    assertThat(tried.headers().get("Location")).endsWith("/login?throttled");
                    assertThat(Long.parseLong(tried.headers().get("Retry-After")))
                            .isPositive();
                }
            }
            assertThat(signIn(browser, "admin", ADMIN_PASSWORD).headers().get("Location"))
                    .endsWith("/login?throttled");
            Answer page = send(browser, new HttpGet(url("/login?throttled")), Map.of("Accept", "text/html"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"signin-throttled\"").contains("Too many failed sign-ins");
        }
    }

    /** The sign-in form's POST, with the CSRF token from the cookie as the page's form field carries it. */
    private Answer signIn(CloseableHttpClient browser, String username, String password) throws IOException {
        String csrf = send(browser, new HttpGet(url("/login")), Map.of("Accept", "text/html"))
                .body()
                .replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
        HttpPost post = new HttpPost(url("/login"));
        post.setEntity(new UrlEncodedFormEntity(List.of(
                new BasicNameValuePair("username", username),
                new BasicNameValuePair("password", password),
                new BasicNameValuePair("_csrf", csrf))));
        return send(browser, post, Map.of("Accept", "text/html"));
    }
}

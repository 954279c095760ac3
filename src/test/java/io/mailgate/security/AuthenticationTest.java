package io.mailgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.account.AdminBootstrap;
import io.mailgate.account.UserAccountRepository;
import io.mailgate.testing.SystemApiTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;

public class AuthenticationTest extends SystemApiTestSupport {

    @Autowired
    UserAccountRepository users;

    @Autowired
    AdminBootstrap bootstrap;

    @Test
    void firstStartCreatesDefaultOrganizationAndAdminWithTheConfiguredPassword() {
        Reply reply = get("/api/v1/orgs", ADMIN);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).anySatisfy(org -> {
            assertThat(org.get("handle").asText()).isEqualTo("default");
            assertThat(org.get("name").asText()).isEqualTo("Default");
        });
        assertThat(users.findByUsername("admin"))
                .get()
                .satisfies(admin -> assertThat(admin.isSystemAdmin()).isTrue());
    }

    @Test
    void bootstrapDoesNothingOnceUsersExist() {
        long before = users.count();

        bootstrap.bootstrap();

        assertThat(users.count()).isEqualTo(before);
        assertThat(get("/api/v1/orgs", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordGets401ProblemWithBasicChallenge() {
        Reply reply = get("/api/v1/orgs", basic("admin", "wrong"));

        assertUnauthorized(reply);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Invalid credentials");
    }

    @Test
    void unknownUserLooksLikeAWrongPassword() {
        Reply reply = get("/api/v1/orgs", basic("nobody", "wrong"));

        assertUnauthorized(reply);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Invalid credentials");
    }

    @Test
    void noCredentialsGets401ProblemNotALoginPage() {
        assertUnauthorized(get("/api/v1/orgs", null));
        assertUnauthorized(get("/api/v1/orgs/default/api-keys", null));
        assertUnauthorized(get("/api/v1/no-such-thing", null));
    }

    @Test
    void unknownOrMalformedApiKeyGets401() {
        assertUnauthorized(get("/api/v1/orgs", bearer("mg_" + "x".repeat(40))));
        assertUnauthorized(get("/api/v1/orgs", bearer("not-a-key")));
        assertUnauthorized(get("/api/v1/orgs", "Bearer "));
    }

    @Test
    void publicPathsNeedNoCredentials() {
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
        Reply apiDocs = get("/v3/api-docs", null);
        assertThat(apiDocs.status()).isEqualTo(200);
        assertThat(apiDocs.json().get("paths").has("/api/v1/orgs/{org}/api-keys"))
                .isTrue();
        assertThat(apiDocs.json().get("paths").has("/error")).isFalse();
    }

    @Test
    void actuatorBeyondHealthIsForSystemAdmins() {
        String analyst = newMember(newOrg("act"), "ADMIN");

        assertUnauthorized(get("/actuator/info", null));
        Reply forbidden = get("/actuator/info", analyst);
        assertProblem(forbidden, 403);
        assertThat(get("/actuator/info", ADMIN).status()).isNotIn(401, 403);
    }

    @Test
    void apiIsStatelessNoSessionCookie() {
        Reply reply = get("/api/v1/orgs", ADMIN);

        assertThat(reply.headers().get(HttpHeaders.SET_COOKIE)).isNull();
    }

    public static void assertUnauthorized(Reply reply) {
        assertProblem(reply, 401);
        assertThat(reply.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Basic realm=\"mailgate\"");
        assertThat(reply.json().get("title").asText()).isEqualTo("Unauthorized");
    }
}

package io.mailgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.security.AuthenticationTest;
import io.mailgate.testing.SystemApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class MeTest extends SystemApiTestSupport {

    @Test
    void userSeesItsRolesPerOrganization() {
        String org = newOrg("me");
        String user = newMember(org, "ANALYST");

        Reply me = get("/api/v1/me", user);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("kind").asText()).isEqualTo("USER");
        assertThat(me.json().get("systemAdmin").asBoolean()).isFalse();
        assertThat(me.json().get("organizations")).hasSize(1);
        assertThat(me.json().get("organizations").get(0).get("handle").asText()).isEqualTo(org);
        assertThat(me.json().get("organizations").get(0).get("role").asText()).isEqualTo("ANALYST");
    }

    @Test
    void apiKeySeesItsOrganizationAndPrefix() {
        String org = newOrg("me-key");
        String key = newApiKey(org, "ADMIN");

        Reply me = get("/api/v1/me", bearer(key));

        assertThat(me.json().get("name").asText()).isEqualTo("api-key:" + key.substring(0, 8));
        assertThat(me.json().get("kind").asText()).isEqualTo("API_KEY");
        assertThat(me.json().get("organizations").get(0).get("role").asText()).isEqualTo("ADMIN");
        assertProblem(
                call(
                        HttpMethod.PUT,
                        "/api/v1/me/password",
                        bearer(key),
                        Map.of("currentPassword", "x", "newPassword", "long-enough-1")),
                403);
    }

    @Test
    void systemAdminIsAdminEverywhere() {
        Reply me = get("/api/v1/me", ADMIN);

        assertThat(me.json().get("systemAdmin").asBoolean()).isTrue();
        assertThat(me.json().get("organizations").findValuesAsText("role")).containsOnly("ADMIN");
        assertThat(me.json().get("organizations").findValuesAsText("handle")).contains("default");
    }

    @Test
    void userChangesItsPassword() {
        String org = newOrg("pw");
        String username = "erin-" + org;
        post(
                "/api/v1/orgs/" + org + "/members",
                ADMIN,
                Map.of("username", username, "password", "first-password", "role", "ANALYST"));

        Reply wrongCurrent = call(
                HttpMethod.PUT,
                "/api/v1/me/password",
                basic(username, "first-password"),
                Map.of("currentPassword", "not-it", "newPassword", "second-password"));
        assertProblem(wrongCurrent, 400);
        assertThat(wrongCurrent.json().get("errors").get(0).get("field").asText())
                .isEqualTo("currentPassword");

        Reply tooShort = call(
                HttpMethod.PUT,
                "/api/v1/me/password",
                basic(username, "first-password"),
                Map.of("currentPassword", "first-password", "newPassword", "short"));
        assertProblem(tooShort, 400);
        assertThat(tooShort.json().get("errors").get(0).get("field").asText()).isEqualTo("newPassword");

        Reply changed = call(
                HttpMethod.PUT,
                "/api/v1/me/password",
                basic(username, "first-password"),
                Map.of("currentPassword", "first-password", "newPassword", "second-password"));
        assertThat(changed.status()).isEqualTo(204);
        AuthenticationTest.assertUnauthorized(get("/api/v1/me", basic(username, "first-password")));
        assertThat(get("/api/v1/me", basic(username, "second-password")).status())
                .isEqualTo(200);
    }
}

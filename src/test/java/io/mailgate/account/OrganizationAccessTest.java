package io.mailgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.security.AuthenticationTest;
import io.mailgate.testing.SystemApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every path under /api/v1/orgs/{org} is scoped: outsiders get 404, members below the role 403. */
class OrganizationAccessTest extends SystemApiTestSupport {

    @Test
    void memberSeesOnlyItsOrganizations() {
        String a = newOrg("a");
        newOrg("b");
        String alice = newMember(a, "ADMIN");

        Reply orgs = get("/api/v1/orgs", alice);

        assertThat(orgs.status()).isEqualTo(200);
        assertThat(orgs.json()).hasSize(1);
        assertThat(orgs.json().get(0).get("handle").asText()).isEqualTo(a);
        assertThat(orgs.json().get(0).get("name").asText()).isEqualTo("Org " + a);
    }

    @Test
    void userOfAnotherOrganizationGets404AsIfItDidNotExist() {
        String a = newOrg("a");
        String b = newOrg("b");
        String alice = newMember(a, "ADMIN");

        Reply other = get("/api/v1/orgs/" + b + "/api-keys", alice);
        Reply missing = get("/api/v1/orgs/no-such-org/api-keys", alice);

        assertProblem(other, 404);
        assertProblem(missing, 404);
        assertThat(other.json().get("detail")).isEqualTo(missing.json().get("detail"));
        assertThat(other.json().get("detail").asText()).isEqualTo("Organization not found");
        assertProblem(get("/api/v1/orgs/" + b, alice), 404);
        assertProblem(post("/api/v1/orgs/" + b + "/api-keys", alice, Map.of("name", "x")), 404);
        assertProblem(
                post(
                        "/api/v1/orgs/" + b + "/members",
                        alice,
                        Map.of("username", "intruder", "password", "long-enough-pw", "role", "ADMIN")),
                404);
    }

    @Test
    void apiKeyOfAnotherOrganizationGets404() {
        String a = newOrg("a");
        String b = newOrg("b");
        String keyOfA = newApiKey(a, "ADMIN");
        String keyOfB = newApiKey(b, "ADMIN");
        long idOfB = get("/api/v1/orgs/" + b + "/api-keys", ADMIN)
                .json()
                .get(0)
                .get("id")
                .asLong();

        assertProblem(get("/api/v1/orgs/" + b + "/api-keys", bearer(keyOfA)), 404);
        assertProblem(delete("/api/v1/orgs/" + b + "/api-keys/" + idOfB, bearer(keyOfA)), 404);
        // and A's admin cannot reach B's key through A's path either
        assertProblem(delete("/api/v1/orgs/" + a + "/api-keys/" + idOfB, bearer(keyOfA)), 404);
        assertThat(get("/api/v1/orgs", bearer(keyOfB)).status()).isEqualTo(200);
    }

    @Test
    void analystGets403OnAdminEndpointsOfItsOwnOrganization() {
        String a = newOrg("a");
        String bob = newMember(a, "ANALYST");

        assertThat(get("/api/v1/orgs/" + a, bob).status()).isEqualTo(200);
        assertProblem(get("/api/v1/orgs/" + a + "/api-keys", bob), 403);
        assertProblem(post("/api/v1/orgs/" + a + "/api-keys", bob, Map.of("name", "x")), 403);
        assertProblem(get("/api/v1/orgs/" + a + "/members", bob), 403);
        assertProblem(
                post(
                        "/api/v1/orgs/" + a + "/members",
                        bob,
                        Map.of("username", "friend", "password", "long-enough-pw", "role", "ADMIN")),
                403);
    }

    @Test
    void systemAdminIsAdminOfOrganizationsCreatedLater() {
        String later = newOrg("later");

        assertThat(get("/api/v1/orgs/" + later + "/api-keys", ADMIN).status()).isEqualTo(200);
        assertThat(get("/api/v1/orgs", ADMIN).json().findValuesAsText("handle")).contains("default", later);
    }

    @Test
    void onlySystemAdminsCreateOrganizations() {
        String a = newOrg("a");
        String alice = newMember(a, "ADMIN");

        assertProblem(post("/api/v1/orgs", alice, Map.of("handle", "alices-own", "name", "Mine")), 403);
    }

    @Test
    void createdOrganizationHasLocationAndDuplicatesConflict() {
        String handle = "acme_soc-" + System.nanoTime();
        Reply created = post("/api/v1/orgs", ADMIN, Map.of("handle", handle, "name", "ACME SOC"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().getLocation()).hasPath("/api/v1/orgs/" + handle);
        assertThat(created.json().get("handle").asText()).isEqualTo(handle);
        assertThat(get("/api/v1/orgs/" + handle, ADMIN).json().get("name").asText())
                .isEqualTo("ACME SOC");
        assertProblem(post("/api/v1/orgs", ADMIN, Map.of("handle", handle, "name", "Again")), 409);
    }

    @Test
    void invalidHandleIsAFieldError() {
        for (String handle : new String[] {"A-upper", "1digit", "x", "has space", "-dash", "a".repeat(65)}) {
            Reply reply = post("/api/v1/orgs", ADMIN, Map.of("handle", handle, "name", "Bad"));
            assertProblem(reply, 400);
            assertThat(reply.json().get("errors").get(0).get("field").asText())
                    .as(handle)
                    .isEqualTo("handle");
        }
        Reply noName = post("/api/v1/orgs", ADMIN, Map.of("handle", "no-name"));
        assertProblem(noName, 400);
        assertThat(noName.json().get("errors").get(0).get("field").asText()).isEqualTo("name");
    }

    @Test
    void membersCanBeAddedAndListedWithoutPasswords() {
        String a = newOrg("a");
        String b = newOrg("b");
        String carol = "carol-" + a;

        Reply created = post(
                "/api/v1/orgs/" + a + "/members",
                ADMIN,
                Map.of("username", carol, "password", "carols-password", "role", "ANALYST"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("role").asText()).isEqualTo("ANALYST");
        assertThat(created.json().has("password")).isFalse();

        // an existing user joins another organization; the password in the request is not applied
        Reply joined = post(
                "/api/v1/orgs/" + b + "/members",
                ADMIN,
                Map.of("username", carol, "password", "other-password", "role", "ADMIN"));
        assertThat(joined.status()).isEqualTo(200);
        assertThat(get("/api/v1/orgs", basic(carol, "carols-password")).json().findValuesAsText("handle"))
                .containsExactlyInAnyOrder(a, b);
        AuthenticationTest.assertUnauthorized(get("/api/v1/orgs", basic(carol, "other-password")));

        Reply members = get("/api/v1/orgs/" + a + "/members", ADMIN);
        assertThat(members.json().findValuesAsText("username")).containsExactly(carol);

        Reply newUserWithoutPassword =
                post("/api/v1/orgs/" + a + "/members", ADMIN, Map.of("username", "dave-" + a, "role", "ANALYST"));
        assertProblem(newUserWithoutPassword, 400);
        assertThat(newUserWithoutPassword
                        .json()
                        .get("errors")
                        .get(0)
                        .get("field")
                        .asText())
                .isEqualTo("password");
    }
}

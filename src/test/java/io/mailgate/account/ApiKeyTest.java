package io.mailgate.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.security.AuthenticationTest;
import io.mailgate.testing.SystemApiTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ApiKeyTest extends SystemApiTestSupport {

    @Autowired
    ApiKeyRepository keys;

    @Test
    void keyIsShownOnceAtCreationAndOnlyItsHashIsStored() {
        String org = newOrg("keys");

        Reply created = post("/api/v1/orgs/" + org + "/api-keys", ADMIN, Map.of("name", "soar"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String key = body.get("key").asText();
        rememberKey(key);
        assertThat(key).matches("mg_[A-Za-z0-9_-]{40}");
        assertThat(body.get("prefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(body.get("role").asText()).isEqualTo("ANALYST");
        assertThat(body.get("name").asText()).isEqualTo("soar");
        assertThat(body.get("createdAt").asText()).endsWith("Z");
        assertThat(body.has("lastUsedAt")).isTrue();
        long id = body.get("id").asLong();
        assertThat(created.headers().getLocation()).hasPath("/api/v1/orgs/" + org + "/api-keys/" + id);

        Reply list = get("/api/v1/orgs/" + org + "/api-keys", ADMIN);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).has("key")).isFalse();
        assertThat(list.json().get(0).get("prefix").asText()).isEqualTo(key.substring(0, 8));
        assertThat(get("/api/v1/orgs/" + org + "/api-keys/" + id, ADMIN).json().has("key"))
                .isFalse();

        ApiKey stored = keys.findById(id).orElseThrow();
        assertThat(stored.getKeyPrefix()).isEqualTo(key.substring(0, 8));
        assertThat(keys.findByKeyHash(ApiKeys.hash(key))).isPresent();
    }

    @Test
    void analystKeyReadsItsOrganizationButIsNotAnAdmin() {
        String org = newOrg("analyst-key");
        String key = newApiKey(org, "ANALYST");

        Reply orgs = get("/api/v1/orgs", bearer(key));
        assertThat(orgs.status()).isEqualTo(200);
        assertThat(orgs.json()).hasSize(1);
        assertThat(orgs.json().get(0).get("handle").asText()).isEqualTo(org);
        assertThat(get("/api/v1/orgs/" + org, bearer(key)).status()).isEqualTo(200);

        assertProblem(get("/api/v1/orgs/" + org + "/api-keys", bearer(key)), 403);
        assertProblem(
                post("/api/v1/orgs/" + org + "/api-keys", bearer(key), Map.of("name", "escalate", "role", "ADMIN")),
                403);
        assertProblem(post("/api/v1/orgs", bearer(key), Map.of("handle", "nope-" + org, "name", "No")), 403);
    }

    @Test
    void adminKeyManagesKeysOfItsOrganization() {
        String org = newOrg("admin-key");
        String key = newApiKey(org, "ADMIN");

        Reply created = post("/api/v1/orgs/" + org + "/api-keys", bearer(key), Map.of("name", "second"));
        assertThat(created.status()).isEqualTo(201);
        rememberKey(created.json().get("key").asText());
        assertThat(get("/api/v1/orgs/" + org + "/api-keys", bearer(key)).json()).hasSize(2);
    }

    @Test
    void useIsRecorded() {
        String org = newOrg("used-key");
        String key = newApiKey(org, "ANALYST");
        assertThat(get("/api/v1/orgs/" + org + "/api-keys", ADMIN)
                        .json()
                        .get(0)
                        .get("lastUsedAt")
                        .isNull())
                .isTrue();

        get("/api/v1/orgs", bearer(key));

        JsonNode listed = get("/api/v1/orgs/" + org + "/api-keys", ADMIN).json().get(0);
        assertThat(listed.get("lastUsedAt").asText()).endsWith("Z");
    }

    @Test
    void deletedKeyStopsWorking() {
        String org = newOrg("deleted-key");
        String key = newApiKey(org, "ANALYST");
        assertThat(get("/api/v1/orgs", bearer(key)).status()).isEqualTo(200);
        long id = get("/api/v1/orgs/" + org + "/api-keys", ADMIN)
                .json()
                .get(0)
                .get("id")
                .asLong();

        Reply deleted = delete("/api/v1/orgs/" + org + "/api-keys/" + id, ADMIN);

        assertThat(deleted.status()).isEqualTo(204);
        AuthenticationTest.assertUnauthorized(get("/api/v1/orgs", bearer(key)));
        assertProblem(delete("/api/v1/orgs/" + org + "/api-keys/" + id, ADMIN), 404);
        assertThat(get("/api/v1/orgs/" + org + "/api-keys", ADMIN).json()).isEmpty();
    }

    @Test
    void invalidKeyRequestsAreRejectedWithFieldErrors() {
        String org = newOrg("bad-key");

        Reply noName = post("/api/v1/orgs/" + org + "/api-keys", ADMIN, Map.of("role", "ANALYST"));
        assertProblem(noName, 400);
        assertThat(noName.json().get("errors").get(0).get("field").asText()).isEqualTo("name");

        Reply badRole = post("/api/v1/orgs/" + org + "/api-keys", ADMIN, Map.of("name", "x", "role", "BOSS"));
        assertProblem(badRole, 400);
        assertThat(badRole.json().get("errors").get(0).get("field").asText()).isEqualTo("role");
        assertThat(badRole.json().get("errors").get(0).get("message").asText())
                .isEqualTo("must be one of ADMIN, ANALYST");
    }
}

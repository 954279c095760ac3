package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.HttpMethod;

class MemberPagesTest extends WebTestSupport {

    @Test
    void anAdminAddsAnAnalystWhoThenSignsInAndSeesOnlyIncidents() {
        String user = unique("analyst").toLowerCase();
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.find("nav a[href$='/members']").click();
        browser.waitFor(d -> browser.path().equals("/orgs/default/members"));
        assertThat(browser.find("#members").getText()).doesNotContain(user);

        // a new user needs a password of at least 8 characters: said next to the field
        browser.type("username", user);
        new Select(browser.field("role")).selectByValue("ANALYST");
        browser.type("password", "short");
        browser.field("add-member-button").click();
        assertThat(browser.waitForElement("#password-error").getText()).contains("8");
        assertThat(browser.field("username").getAttribute("value")).isEqualTo(user);
        assertThat(browser.field("password").getAttribute("value")).isEmpty();

        browser.type("password", "Analyst-password-1");
        browser.field("add-member-button").click();
        browser.waitFor(d -> browser.text().contains("User " + user + " is created with role ANALYST here."));
        assertThat(browser.find("#members").getText()).contains(user);
        assertNoConsoleErrors();

        browser.signOut();
        browser.signIn(user, "Analyst-password-1");
        assertThat(browser.path()).isEqualTo("/orgs/default/incidents");
        assertThat(browser.all("nav a").stream().map(a -> a.getText()).toList())
                .containsExactly("Incidents", "Quarantine");
        browser.open("/orgs/default/members");
        assertThat(browser.find("h1").getText()).isEqualTo("403 Forbidden");
    }

    @Test
    void anApiKeyIsShownOnceWorksAndStopsWorkingWhenRevokedAfterAConfirmation() {
        String name = unique("SOAR reader");
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/members");
        browser.field("create-key-button").click(); // no name
        assertThat(browser.waitForElement("#key-name-error").getText()).isNotBlank();

        browser.type("key-name", name);
        browser.field("create-key-button").click();
        String key = browser.waitForElement("#new-key-value").getAttribute("value");
        assertThat(key).startsWith("mg_");
        // POST-redirect-GET: the value is shown on a page fetched with GET, from a one-time flash
        assertThat(browser.path()).isEqualTo("/orgs/default/members#new-key");
        assertThat(browser.find("#api-keys").getText()).contains(name).doesNotContain(key);
        assertNoConsoleErrors();

        // a reload neither shows the value again nor makes a second key
        browser.driver.navigate().refresh();
        browser.waitForElement("#api-keys");
        assertThat(browser.driver.getPageSource()).doesNotContain(key);
        assertThat(browser.all("#new-key")).isEmpty();
        assertThat(keysNamed(name)).isEqualTo(1);

        api(HttpMethod.GET, "/api/v1/orgs/default/incidents", "Bearer " + key, null, 200);

        // Revoke asks first; Cancel keeps the key
        browser.find("#api-keys a[aria-label='Revoke " + name + "']").click();
        browser.waitFor(d -> browser.path().endsWith("/revoke"));
        assertThat(browser.find("h1").getText()).isEqualTo("Revoke the API key " + name + "?");
        assertThat(browser.text()).contains(key.substring(0, 8) + "…").contains("refused");
        assertNoConsoleErrors();
        browser.find("main a.button").click();
        browser.waitFor(d -> browser.path().equals("/orgs/default/members"));
        api(HttpMethod.GET, "/api/v1/orgs/default/incidents", "Bearer " + key, null, 200);

        browser.find("#api-keys a[aria-label='Revoke " + name + "']").click();
        browser.waitForElement("#confirm-revoke").click();
        browser.waitFor(d -> browser.text().contains("The API key is revoked"));
        api(HttpMethod.GET, "/api/v1/orgs/default/incidents", "Bearer " + key, null, 401);
    }

    @Test
    void apiKeyNamesAreUniquePerOrganization() {
        String name = unique("siem");
        api(HttpMethod.POST, "/api/v1/orgs/default/api-keys", admin(), Map.of("name", name), 201);
        JsonNode conflict = api(
                HttpMethod.POST, "/api/v1/orgs/default/api-keys", admin(), Map.of("name", name, "role", "ADMIN"), 409);
        assertThat(conflict.path("detail").asText()).isEqualTo("An API key named " + name + " already exists.");
        assertThat(conflict.path("errors").get(0).path("field").asText()).isEqualTo("name");

        // the same name in another organization is fine
        String other = organizationWithUser(unique("keys").toLowerCase(), "Keys-password-1", "ADMIN");
        api(HttpMethod.POST, "/api/v1/orgs/" + other + "/api-keys", admin(), Map.of("name", name), 201);

        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/members");
        browser.type("key-name", name);
        new Select(browser.field("key-role")).selectByValue("ADMIN");
        browser.field("create-key-button").click();
        assertThat(browser.waitForElement("#key-name-error").getText())
                .isEqualTo("is already used by another key of this organization");
        assertThat(browser.field("key-name").getAttribute("value")).isEqualTo(name);
        assertThat(new Select(browser.field("key-role"))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("ADMIN");
        assertThat(browser.all("#new-key")).isEmpty();
        assertThat(keysNamed(name)).isEqualTo(1);
    }

    private long keysNamed(String name) {
        JsonNode keys = api(HttpMethod.GET, "/api/v1/orgs/default/api-keys", admin(), null, 200);
        long count = 0;
        for (JsonNode key : keys) {
            count += key.path("name").asText().equals(name) ? 1 : 0;
        }
        return count;
    }

    @Test
    void anotherOrganizationsMembersAreNotReachable() {
        String user = unique("other").toLowerCase();
        String other = organizationWithUser(user, "Other-password-1", "ADMIN");
        browser.signIn(user, "Other-password-1");
        browser.open("/orgs/" + other + "/members");
        assertThat(browser.find("#members").getText()).contains(user);
        browser.open("/orgs/default/members");
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
    }
}

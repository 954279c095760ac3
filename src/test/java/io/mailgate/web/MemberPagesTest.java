package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

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
    void anApiKeyIsShownOnceWorksAndStopsWorkingWhenRevoked() {
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/members");
        browser.field("create-key-button").click(); // no name
        assertThat(browser.waitForElement("#key-name-error").getText()).isNotBlank();

        browser.type("key-name", "SOAR reader");
        browser.field("create-key-button").click();
        String key = browser.waitForElement("#new-key-value").getAttribute("value");
        assertThat(key).startsWith("mg_");
        assertThat(browser.find("#api-keys").getText()).contains("SOAR reader").doesNotContain(key);
        assertNoConsoleErrors();

        api(HttpMethod.GET, "/api/v1/orgs/default/incidents", "Bearer " + key, null, 200);

        browser.open("/orgs/default/members");
        assertThat(browser.driver.getPageSource()).doesNotContain(key); // never again
        browser.find("#api-keys button[aria-label='Revoke SOAR reader']").click();
        browser.waitFor(d -> browser.text().contains("The API key is revoked"));
        api(HttpMethod.GET, "/api/v1/orgs/default/incidents", "Bearer " + key, null, 401);
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

package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;
import org.springframework.http.HttpMethod;

class SignInPageTest extends WebTestSupport {

    @Test
    void aPageAsksForSignInAndReturnsThereAfterwards() {
        browser.open("/orgs/default/connections");
        assertThat(browser.path()).startsWith("/login");

        browser.field("username").sendKeys("admin");
        browser.field("password").sendKeys(ADMIN_PASSWORD);
        browser.find("form button[type=submit]").click();

        // back where the browser was going (Spring Security marks the replayed request with "?continue")
        browser.waitFor(d -> browser.path().startsWith("/orgs/default/connections"));
        assertThat(browser.find("h1").getText()).isEqualTo("Inbound Email Connections");
        assertNoConsoleErrors();
    }

    /**
     * The session ends while the connections list is open (signed out in another tab, say). The list's next
     * refresh brings the sign-in page as a whole, and signing in leads back to the list, not to the piece of it
     * that the refresh asked for.
     */
    @Test
    void aListWhoseSessionEndedComesBackAfterSigningInAgain() {
        browser.signIn("admin", ADMIN_PASSWORD);
        assertThat(browser.path()).startsWith("/orgs/default/connections");
        browser.endSession();

        // the list refreshes every 10 s
        browser.waitFor(Duration.ofSeconds(30), d -> browser.path().startsWith("/login"));
        browser.field("username").sendKeys("admin");
        browser.field("password").sendKeys(ADMIN_PASSWORD);
        browser.find("form button[type=submit]").click();

        browser.waitFor(d -> !browser.path().startsWith("/login"));
        assertThat(browser.path()).startsWith("/orgs/default/connections").doesNotContain("/rows");
        assertThat(browser.find("h1").getText()).isEqualTo("Inbound Email Connections");
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        browser.open("/login");
        browser.field("username").sendKeys("admin");
        browser.field("password").sendKeys("not-the-password");
        browser.find("form button[type=submit]").click();

        assertThat(browser.waitForElement("#signin-error").getText())
                .isEqualTo("The user name or password is not correct.");
        assertThat(browser.path()).isEqualTo("/login?error");
        assertNoConsoleErrors();
    }

    @Test
    void signingOutEndsTheSession() {
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.find("#sign-out").click();
        browser.waitFor(d -> browser.path().startsWith("/login"));
        assertThat(browser.text()).contains("You are signed out.");

        browser.open("/orgs/default/connections");
        assertThat(browser.path()).startsWith("/login");
    }

    @Test
    void aUserInSeveralOrganizationsSwitchesBetweenThemAndSeesNoOther() {
        String user = unique("multi");
        String first = organizationWithUser(user, "Multi-password-1", "ADMIN");
        String second = unique("org").replace('_', '-').toLowerCase();
        api(HttpMethod.POST, "/api/v1/orgs", admin(), Map.of("handle", second, "name", "Second " + second), 201);
        api(
                HttpMethod.POST,
                "/api/v1/orgs/" + second + "/members",
                admin(),
                Map.of("username", user, "role", "ANALYST"),
                200);

        browser.signIn(user, "Multi-password-1");
        assertThat(browser.path()).isEqualTo("/orgs/" + first + "/connections");
        var options = browser.all("#org-switch option").stream()
                .map(o -> o.getAttribute("value"))
                .toList();
        assertThat(options).containsExactlyInAnyOrder(first, second);

        new Select(browser.field("org-switch")).selectByValue(second);
        // an analyst there: the incidents, and no connections link
        browser.waitFor(d -> browser.path().equals("/orgs/" + second + "/incidents"));
        assertThat(browser.all("nav a").stream().map(a -> a.getText()).toList())
                .doesNotContain("Inbound Email Connections");

        browser.open("/orgs/" + second + "/connections");
        assertThat(browser.find("h1").getText()).isEqualTo("403 Forbidden");
        browser.open("/orgs/default/connections");
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        browser.open("/switch-organization?org=default");
        assertThat(browser.path()).isEqualTo("/orgs/" + first + "/connections");
    }

    @Test
    void signInAndAddingAConnectionWorkWithTheKeyboardAlone() {
        browser.open("/login");
        // the user name field has the focus; Tab to the password, Enter submits
        browser.driver.switchTo().activeElement().sendKeys("admin", Keys.TAB, ADMIN_PASSWORD, Keys.ENTER);
        browser.waitFor(d -> browser.path().startsWith("/orgs/default/connections"));

        // the first Tab reaches "Skip to content"; further Tabs reach "Add Connection +", Enter follows it
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Skip to content");
        for (int i = 0;
                i < 30
                        && !"add-connection"
                                .equals(browser.driver
                                        .switchTo()
                                        .activeElement()
                                        .getAttribute("id"));
                i++) {
            browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        browser.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.waitFor(d -> browser.path().endsWith("/connections/new"));

        // the protocol is a radio group: arrow keys change it, and the page shows that protocol's fields
        browser.field("protocol-imap").sendKeys(Keys.ARROW_RIGHT);
        assertThat(browser.field("protocol-exchange").isSelected()).isTrue();
        assertThat(browser.field("exchange.endpoint").isDisplayed()).isTrue();
        assertThat(browser.field("imap.host").isDisplayed()).isFalse();
        assertNoConsoleErrors();
    }

    /** The pages' content policy covers every page outside /actuator; the API's Swagger UI must still work under it. */
    @Test
    void theApiDescriptionPageStillWorksUnderTheContentPolicy() {
        browser.open("/swagger-ui.html");
        browser.waitForElement(".swagger-ui .info .title");
        assertThat(browser.find(".swagger-ui .info .title").getText()).isNotBlank();
        assertNoConsoleErrors();
    }

    /**
     * Hawtio uses the pages' sign-in: a browser is sent to it, and comes back to Hawtio signed in. (A browser of
     * its own: Hawtio's single-page app keeps working in the background of the tab after the test.)
     */
    @Test
    void hawtioIsReachedThroughTheSameSignIn() {
        try (Browser own = new Browser("http://127.0.0.1:" + port)) {
            own.open("/actuator/hawtio/");
            assertThat(own.path()).startsWith("/login");
            own.field("username").sendKeys("admin");
            own.field("password").sendKeys(ADMIN_PASSWORD);
            own.find("form button[type=submit]").click();
            own.waitFor(d -> own.path().startsWith("/actuator/hawtio"));
            assertThat(own.driver.getPageSource().toLowerCase(Locale.ROOT)).contains("hawtio");
        }
    }

    /** System admins find Hawtio in the top bar and Hawtio names them; anyone else gets a 403 page that says why. */
    @Test
    void hawtioIsLinkedForSystemAdminsAndExplainedToOthers() throws Exception {
        browser.signIn("admin", ADMIN_PASSWORD);
        assertThat(browser.find("#hawtio-link").getAttribute("href")).endsWith("/actuator/hawtio/");
        assertNoConsoleErrors();
        // Hawtio asks who is signed in: the user of mailgate's session, not "public"
        String session = browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
        var user = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/hawtio/user"))
                                .header("Cookie", "JSESSIONID=" + session)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(user.body()).isEqualTo("\"admin\"");

        String analyst = unique("analyst");
        String org = organizationWithUser(analyst, "Analyst-password-1", "ADMIN"); // an organization's admin only
        browser.signOut();
        browser.signIn(analyst, "Analyst-password-1");
        assertThat(browser.path()).startsWith("/orgs/" + org);
        assertThat(browser.all("#hawtio-link")).isEmpty();
        browser.open("/actuator/hawtio/");
        assertThat(browser.find("h1").getText()).isEqualTo("403 Forbidden");
        assertThat(browser.text()).contains("for system admins only").doesNotContain("reload");
    }
}

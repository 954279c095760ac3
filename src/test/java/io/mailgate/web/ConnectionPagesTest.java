package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailgate.connectiontest.ImapFront;
import io.mailgate.connectiontest.TestCertificates;
import io.mailgate.oauth.EntraSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.http.HttpMethod;

/** Inbound Email Connections in the browser, the way the reference walks an admin through them. */
class ConnectionPagesTest extends WebTestSupport {

    @Test
    void anImapMailboxAddedInThePageWithAnUntrustedCertificateIsTrustedTestedAndBringsAnIncident() throws Exception {
        TestCertificates.Issued certificate = TestCertificates.selfSigned("localhost", List.of("localhost"));
        Mailbox mailbox = mailbox();
        String apiName = unique("phish").toLowerCase();
        try (ImapFront tls = ImapFront.implicitTls(certificate, MAIL.getImap().getPort())) {
            browser.signIn("admin", ADMIN_PASSWORD);
            browser.find("#add-connection").click();
            browser.waitFor(d -> browser.path().endsWith("/connections/new"));
            assertNoConsoleErrors();

            browser.type("name", "Phishing reports");
            browser.type("apiName", apiName);
            browser.type("description", "Reports from the phish button");
            // IMAP over SSL/TLS is what the page starts with
            assertThat(browser.field("protocol-imap").isSelected()).isTrue();
            assertThat(browser.find("input[name='imap.encryption'][value=SSL_TLS]")
                            .isSelected())
                    .isTrue();
            browser.type("imap.host", "localhost");
            browser.type("imap.port", String.valueOf(tls.port()));
            browser.type("imap.emailAddress", mailbox.address());
            browser.type("imap.password", mailbox.password());
            browser.type("polling.intervalSeconds", "1");
            browser.find("#save-and-test").click();

            // saved, tested: the self-signed certificate is not trusted, and the page shows it
            browser.waitForElement("#test-result");
            assertThat(browser.path()).isEqualTo("/orgs/default/connections/" + apiName);
            assertThat(browser.find("#test-code").getText()).contains("UNTRUSTED_CERTIFICATE");
            assertThat(browser.find("#presented-0").getText())
                    .contains("CN=localhost")
                    .contains("SHA-256");
            assertThat(browser.field("imap.password").getAttribute("value")).isEmpty(); // never echoed
            assertThat(browser.driver.getPageSource()).doesNotContain(mailbox.password());
            assertThat(browser.find("#imap\\.password-state").getText()).startsWith("Set.");
            // a new connection is kept disabled until a test passes (the default), and the page says so
            assertThat(browser.find("#connection-state").getText()).startsWith("Disabled");
            assertThat(browser.find(".flash").getText()).contains("stays disabled until a test passes");
            assertThat(api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200)
                            .path("enabled")
                            .asBoolean())
                    .isFalse();
            assertNoConsoleErrors();
            browser.screenshot("connection-untrusted-certificate");

            browser.find("#presented-0 button.trust-certificate").click();
            browser.waitFor(
                    d -> browser.find("#test-result").getAttribute("class").contains("ok"));
            assertThat(browser.find("#test-message").getText())
                    .isEqualTo("The folder INBOX was opened; it holds 0 unread messages.");
            assertThat(browser.find("#trusted-certificates").getText()).contains("CN=localhost");
            assertThat(browser.find(".flash").getText()).contains("the test passed, so it is enabled");
            assertThat(browser.find(".flash").getText()).doesNotEndWith(":");
            assertNoConsoleErrors();

            deliver(mailbox, """
                    From: reporter@example.test
                    To: %s
                    Subject: Suspicious invoice from the page test
                    Message-ID: <page-test-1@example.test>
                    Content-Type: text/plain; charset=utf-8

                    Please look at http://bad.example/login
                    """.formatted(mailbox.address()));
            JsonNode incident = awaitIncident("default", "Suspicious invoice from the page test");

            // the list shows the connection running with one message ingested (refreshed while open)
            browser.open("/orgs/default/connections");
            WebElement row = browser.waitForElement("#connection-" + apiName);
            browser.waitFor(
                    d -> browser.find("#connection-" + apiName).getText().contains("Running"));
            assertThat(row.findElements(By.cssSelector("td.num")).get(0).getText())
                    .isEqualTo("1");
            assertNoConsoleErrors();
            browser.screenshot("connections");

            browser.open("/orgs/default/incidents/" + incident.path("id").asText());
            assertThat(browser.text())
                    .contains("Suspicious invoice from the page test")
                    .contains("reporter@example.test");
            assertNoConsoleErrors();
        }
    }

    @Test
    void fieldErrorsAreShownNextToTheirFieldsAndNothingIsSaved() {
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections/new");
        browser.type("name", "Broken");
        browser.type("apiName", "Not a valid name");
        browser.type("imap.port", "70000");
        browser.find("#save").click();

        browser.waitForElement("#form-errors");
        // the summary lists the fields in the form's order, and has the focus
        List<String> links = browser.all("#form-errors a").stream()
                .map(a -> a.getAttribute("href").replaceAll(".*#", ""))
                .toList();
        assertThat(links).containsSubsequence("apiName", "imap.host", "imap.port", "imap.password");
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("form-errors");
        assertThat(browser.find("#apiName-error").getText()).startsWith("must start with a lower-case letter");
        assertThat(browser.find("#imap\\.port-error").getText()).isEqualTo("must be 1-65535");
        assertThat(browser.find("#imap\\.host-error").getText()).contains("required");
        assertThat(browser.find("#imap\\.password-error").getText()).contains("required");
        assertThat(browser.field("imap.port").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.field("imap.port").getAttribute("aria-describedby")).contains("imap.port-error");
        // what was typed stays (except secrets)
        assertThat(browser.field("name").getAttribute("value")).isEqualTo("Broken");
        assertThat(browser.field("imap.port").getAttribute("value")).isEqualTo("70000");
        assertNoConsoleErrors();
        browser.screenshot("connection-field-errors");

        // a port that is not even a number is named too (the browser's number field would refuse to send it)
        browser.driver.executeScript("document.getElementById('imap.port').type='text'");
        browser.type("imap.port", "abc");
        browser.find("#save").click();
        assertThat(browser.waitForElement("#imap\\.port-error").getText()).isEqualTo("must be a whole number");

        JsonNode list = api(HttpMethod.GET, "/api/v1/orgs/default/connections", admin(), null, 200);
        list.forEach(c -> assertThat(c.path("name").asText()).isNotEqualTo("Broken"));
    }

    @Test
    void onlyTheChosenProtocolsFieldsAndTheProxyBehindItsToggleAreShown() {
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections/new");
        // labels read as they are shown (no leading space); the proxy's group is not called "Protocol" too
        assertThat(browser.field("protocol-imap").findElement(By.xpath("..")).getAttribute("textContent"))
                .isEqualTo("IMAP");
        assertThat(browser.field("proxy-protocol-label").getAttribute("textContent"))
                .isEqualTo("Proxy protocol");
        // the port follows the encryption method until the admin types one
        assertThat(browser.field("imap.port").getAttribute("value")).isEqualTo("993");
        browser.find("input[name='imap.encryption'][value=NONE]").click();
        assertThat(browser.field("imap.port").getAttribute("value")).isEqualTo("143");
        browser.find("input[name='imap.encryption'][value=SSL_TLS]").click();
        assertThat(browser.field("imap.port").getAttribute("value")).isEqualTo("993");
        browser.type("imap.port", "1993");
        browser.find("input[name='imap.encryption'][value=STARTTLS]").click();
        assertThat(browser.field("imap.port").getAttribute("value")).isEqualTo("1993");
        assertThat(browser.field("imap-section").isDisplayed()).isTrue();
        assertThat(browser.field("oauth-section").isDisplayed()).isFalse();
        assertThat(browser.field("proxy-fieldset").isDisplayed()).isFalse(); // no proxy for IMAP

        browser.field("protocol-exchange").click();
        assertThat(browser.field("imap-section").isDisplayed()).isFalse();
        assertThat(browser.field("exchange.endpoint").isDisplayed()).isTrue();
        assertThat(browser.field("proxy-fieldset").isDisplayed()).isTrue();
        assertThat(browser.field("proxy.host").isDisplayed()).isFalse();
        browser.field("proxy.enabled").click();
        assertThat(browser.field("proxy.host").isDisplayed()).isTrue();

        browser.field("protocol-oauth").click();
        assertThat(browser.field("exchange-section").isDisplayed()).isFalse();
        assertThat(browser.field("oauth.clientId").isDisplayed()).isTrue();
        assertThat(browser.field("oauth.clientSecret").isDisplayed()).isTrue();
        browser.find("input[name='oauth.credentialType'][value=CERTIFICATE]").click();
        assertThat(browser.field("oauth.clientSecret").isDisplayed()).isFalse();
        assertThat(browser.field("oauth.certificateFile").isDisplayed()).isTrue();
        assertThat(browser.field("redirect-uri").getAttribute("value"))
                .isEqualTo("http://127.0.0.1:" + PORT + "/email-oauth");
        assertThat(browser.all("#redirect-uri-warning")).isEmpty(); // opened at mailgate.oauth.public-url
        assertNoConsoleErrors();
    }

    /**
     * The redirect URI comes from mailgate.oauth.public-url (here http://127.0.0.1:PORT). Opened at another address
     * (localhost), the page still shows the configured URI, and warns that the setting may be wrong.
     */
    @Test
    void theRedirectUriComesFromThePublicUrlAndThePageWarnsWhenOpenedElsewhere() {
        try (Browser elsewhere = new Browser("http://localhost:" + port)) {
            elsewhere.signIn("admin", ADMIN_PASSWORD);
            elsewhere.open("/orgs/default/connections/new");
            elsewhere.field("protocol-oauth").click();
            assertThat(elsewhere.field("redirect-uri").getAttribute("value"))
                    .isEqualTo("http://127.0.0.1:" + PORT + "/email-oauth");
            assertThat(elsewhere.field("redirect-uri-warning").getText())
                    .contains("opened at http://localhost:" + port)
                    .contains("mailgate.oauth.public-url is http://127.0.0.1:" + PORT)
                    .contains("MAILGATE_OAUTH_PUBLIC_URL");
        }
    }

    @Test
    void anOAuthConnectionGrantsAccessThroughMicrosoftSignInAndThenOffersSwitchAccount() {
        String apiName = unique("m365").toLowerCase();
        GRAPH.mailbox("me"); // delegated access reads the signed-in account's own mailbox
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections/new");
        browser.type("name", "Microsoft 365 reports");
        browser.type("apiName", apiName);
        browser.field("protocol-oauth").click();
        browser.type("oauth.clientId", EntraSimulator.CLIENT_ID);
        browser.type("oauth.tenantId", EntraSimulator.TENANT);
        browser.type("oauth.clientSecret", EntraSimulator.SECRET);
        browser.type("oauth.emailAddress", EntraSimulator.USERNAME);
        // the client secret's expiry as Entra shows it: five days from now is worth a warning
        String expires = LocalDate.now(ZoneOffset.UTC).plusDays(5).toString();
        browser.driver.executeScript(
                "document.getElementById('oauth.clientSecretExpiresAt').value = arguments[0]", expires);
        browser.find("#save").click();

        browser.waitFor(d -> browser.path().equals("/orgs/default/connections/" + apiName));
        assertThat(browser.find("#connection-state").getText()).contains("Needs consent");
        assertThat(browser.field("credential-warnings").getText())
                .contains("CREDENTIAL_EXPIRING")
                .contains("expires in");
        assertThat(browser.field("oauth.clientSecretExpiresAt").getAttribute("value"))
                .isEqualTo(expires);
        browser.open("/orgs/default/connections");
        assertThat(browser.find("#connection-" + apiName + " .warning").getText())
                .contains("expires in");
        browser.open("/orgs/default/connections/" + apiName);
        assertThat(browser.field("grant-access").getText()).isEqualTo("Grant Access");
        assertThat(browser.field("oauth.clientSecret").getAttribute("value")).isEmpty();
        assertThat(browser.driver.getPageSource()).doesNotContain(EntraSimulator.SECRET);
        assertNoConsoleErrors();
        browser.screenshot("connection-oauth");

        // Grant Access: to Microsoft's sign-in (the simulator signs in and consents), back to /email-oauth
        browser.field("grant-access").click();
        browser.waitFor(d -> browser.path().startsWith("/email-oauth"));
        assertThat(browser.find("h1").getText()).isEqualTo("Access granted");
        assertThat(browser.field("oauth-result").getText()).contains(EntraSimulator.USERNAME);
        browser.find("a.button.primary").click();

        browser.waitFor(d -> browser.path().equals("/orgs/default/connections/" + apiName));
        assertThat(browser.field("grant-access").getText()).isEqualTo("Switch Account");
        assertThat(browser.field("granted-account").getText()).contains(EntraSimulator.USERNAME);
        assertNoConsoleErrors();
        // and the mailbox is read now
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            browser.open("/orgs/default/connections/" + apiName);
            return browser.find("#connection-state").getText().contains("Running");
        });
    }

    @Test
    void aDecryptionKeyIsRefusedAboveOneMegabyteBeforeUploadAndItsPasswordErrorIsShownByTheField() throws Exception {
        Mailbox mailbox = mailbox();
        String apiName = imapConnectionViaApi("default", mailbox);
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections/" + apiName);
        browser.field("decryption.enabled").click();
        assertThat(browser.field("decryption.file").isDisplayed()).isTrue();

        Path tooLarge = Files.createTempFile("too-large", ".pfx");
        Files.write(tooLarge, new byte[1024 * 1024 + 1]);
        browser.field("decryption.file").sendKeys(tooLarge.toAbsolutePath().toString());
        assertThat(browser.field("decryption.file-size").getText())
                .contains("the largest allowed file is 1024 KB (1 MB)");
        assertThat(browser.field("decryption.file").getAttribute("value")).isEmpty(); // nothing left to upload

        // dropped on the drop zone rather than chosen: the same check
        browser.driver.executeScript("""
                const transfer = new DataTransfer();
                transfer.items.add(new File([new Uint8Array(1024 * 1024 + 5)], 'dropped.pfx'));
                const drop = new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true});
                document.querySelector('.dropzone').dispatchEvent(drop);""");
        assertThat(browser.field("decryption.file-size").getText()).startsWith("dropped.pfx is 1025 KB");
        assertThat(browser.field("decryption.file").getAttribute("value")).isEmpty();

        Path key = Path.of("src/test/resources/decrypt/keys/recipient-rsa.p12").toAbsolutePath();
        browser.field("decryption.file").sendKeys(key.toString());
        assertThat(browser.field("decryption.file-size").isDisplayed()).isFalse();
        browser.type("decryption.password", "not-the-password");
        browser.type("imap.password", mailbox.password());
        browser.find("#save").click();
        assertThat(browser.waitForElement("#decryption\\.password-error").getText())
                .isNotBlank();
        assertThat(browser.text()).contains("The connection is saved, but an uploaded file was not accepted.");

        browser.field("decryption.file").sendKeys(key.toString());
        browser.type("decryption.password", "changeit");
        browser.find("#save").click();
        browser.waitForElement("#installed-key");
        assertThat(browser.find("#installed-key").getText()).contains("S/MIME (.pfx)");
        JsonNode saved = api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200);
        assertThat(saved.path("decryption").path("enabled").asBoolean()).isTrue();
        assertThat(saved.path("decryption").path("keyInstalled").asBoolean()).isTrue();
        assertNoConsoleErrors();
        Files.deleteIfExists(tooLarge);
    }

    @Test
    void saveAndTestKeepsANewConnectionWithAWrongPasswordDisabledUntilATestPasses() {
        Mailbox mailbox = mailbox();
        String apiName = unique("locked").toLowerCase();
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections/new");
        assertThat(browser.field("keepDisabledUntilTested").isSelected()).isTrue(); // on for a new connection
        browser.type("name", "Wrong password");
        browser.type("apiName", apiName);
        browser.type("imap.host", "127.0.0.1");
        browser.find("input[name='imap.encryption'][value=NONE]").click();
        browser.type("imap.port", String.valueOf(MAIL.getImap().getPort()));
        browser.type("imap.emailAddress", mailbox.address());
        browser.type("imap.password", "not-the-password");
        browser.find("#save-and-test").click();

        browser.waitForElement("#test-result");
        assertThat(browser.find("#test-code").getText()).contains("AUTH");
        assertThat(browser.find(".flash").getText()).contains("stays disabled until a test passes");
        assertThat(browser.find("#connection-state").getText()).startsWith("Disabled");
        assertThat(api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200)
                        .path("enabled")
                        .asBoolean())
                .isFalse();
        // the page still means to enable it: both boxes stay ticked for the next try
        assertThat(browser.field("enabled").isSelected()).isTrue();
        assertThat(browser.field("keepDisabledUntilTested").isSelected()).isTrue();
        assertNoConsoleErrors();

        browser.type("imap.password", mailbox.password());
        browser.find("#save-and-test").click();
        browser.waitFor(d -> browser.find("#test-result").getAttribute("class").contains("ok"));
        assertThat(browser.find(".flash").getText()).contains("the test passed, so it is enabled");
        assertThat(api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200)
                        .path("enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void aConnectionIsDisabledEnabledAndDeletedAfterConfirmation() {
        String apiName = imapConnectionViaApi("default", mailbox());
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections");
        String row = "#connection-" + apiName;
        browser.find(row + " form button").click(); // Disable
        browser.waitFor(d -> browser.find(row).getText().contains("Disabled"));
        assertThat(browser.text()).contains("is disabled.");
        assertThat(api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200)
                        .path("enabled")
                        .asBoolean())
                .isFalse();
        browser.find(row + " form button").click(); // Enable
        browser.waitFor(d -> browser.text().contains("is enabled."));

        browser.find(row + " a.danger").click();
        assertThat(browser.find("h1").getText()).startsWith("Delete ");
        assertThat(browser.driver.switchTo().activeElement().getText()).isEqualTo("Cancel"); // the safe choice first
        browser.field("confirm-delete").click();
        browser.waitFor(d -> browser.text().contains("is deleted."));
        assertThat(browser.all(row)).isEmpty();
        api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 404);
        assertNoConsoleErrors();
    }

    /** Polling works, but with decryption on and no key every encrypted message would be quarantined: not "Running". */
    @Test
    void aConnectionThatDecryptsWithoutAKeyDoesNotSayRunning() {
        var request = new LinkedHashMap<>(imapConnectionRequest(mailbox(), unique("nokey")));
        request.put("decryption", Map.of("enabled", true));
        String apiName = (String) request.get("apiName");
        api(HttpMethod.POST, "/api/v1/orgs/default/connections", admin(), request, 201);
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections");
        String row = "#connection-" + apiName;
        browser.waitFor(d -> browser.find(row + " .state").getText().equals("No decryption key"));
        assertThat(browser.find(row + " .reason").getText()).contains("no key is installed");
        browser.open("/orgs/default/connections/" + apiName);
        assertThat(browser.find("#connection-state .state").getText()).isEqualTo("No decryption key");
        assertNoConsoleErrors();
    }

    @Test
    void theOpenListRefreshesItself() {
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections");
        String apiName = imapConnectionViaApi("default", mailbox()); // made elsewhere while the page is open
        browser.waitFor(d -> !browser.all("#connection-" + apiName).isEmpty()); // within one 10 s refresh
        assertThat(browser.path()).isEqualTo("/orgs/default/connections"); // no reload
        assertNoConsoleErrors();
    }

    @Test
    void anotherOrganizationsConnectionIsNotReachableByUrl() {
        String apiName = imapConnectionViaApi("default", mailbox());
        String user = unique("other");
        String other = organizationWithUser(user, "Other-password-1", "ADMIN");
        browser.signIn(user, "Other-password-1");
        assertThat(browser.path()).isEqualTo("/orgs/" + other + "/connections");
        assertThat(browser.text()).doesNotContain(apiName);

        for (String path : List.of(
                "/orgs/default/connections",
                "/orgs/default/connections/" + apiName,
                "/orgs/default/connections/" + apiName + "/delete",
                "/orgs/" + other + "/connections/" + apiName)) {
            browser.open(path);
            assertThat(browser.find("h1").getText()).as(path).isEqualTo("404 Not Found");
            assertThat(browser.text()).doesNotContain("Mailbox " + apiName);
        }
        // a forged POST from this user's session changes nothing in the other organization
        browser.open("/orgs/" + other + "/connections");
        browser.driver.executeScript("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = '/orgs/default/connections/%s/delete';
                const token = document.querySelector('meta[name=csrf-token]').content;
                form.innerHTML = '<input type=hidden name=_csrf value="' + token + '">';
                document.body.appendChild(form);
                form.submit();""".formatted(apiName));
        browser.waitFor(d -> browser.find("h1").getText().equals("404 Not Found"));
        api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        String apiName = imapConnectionViaApi("default", mailbox());
        browser.signIn("admin", ADMIN_PASSWORD);
        browser.open("/orgs/default/connections");
        browser.driver.executeScript("""
                const form = document.createElement('form');
                form.method = 'post';
                form.action = '/orgs/default/connections/%s/delete';
                document.body.appendChild(form);
                form.submit();""".formatted(apiName));
        browser.waitFor(d -> browser.find("h1").getText().equals("403 Forbidden"));
        api(HttpMethod.GET, "/api/v1/orgs/default/connections/" + apiName, admin(), null, 200);
    }
}

package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.http.HttpMethod;

class QuarantinePagesTest extends WebTestSupport {

    static final String PASSWORD = "Analyst-password-1";

    /** An IMAP connection that only appends to referenced incidents: an unreferenced message is quarantined. */
    Map<String, Object> appendOnly(String org, Mailbox mailbox, String apiName) {
        Map<String, Object> request = imapConnectionRequest(mailbox, apiName);
        request.put("incidentPolicy", Map.of("mode", "APPEND"));
        api(HttpMethod.POST, "/api/v1/orgs/" + org + "/connections", admin(), request, 201);
        return request;
    }

    JsonNode awaitQuarantined(String org, String subject) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    for (JsonNode q : api(
                                    HttpMethod.GET, "/api/v1/orgs/" + org + "/quarantine?limit=500", admin(), null, 200)
                            .path("items")) {
                        if (subject.equals(q.path("subject").asText())) {
                            found[0] = q;
                            return true;
                        }
                    }
                    return false;
                });
        return found[0];
    }

    static HttpResponse<byte[]> fetch(String url) throws Exception {
        String session = browser.driver.manage().getCookieNamed("JSESSIONID").getValue();
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Cookie", "JSESSIONID=" + session)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void anAnalystSeesWhyAMessageIsQuarantinedDownloadsItAndRetriesIt() throws Exception {
        String user = unique("analyst");
        String org = organizationWithUser(user, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        String apiName = unique("append");
        Map<String, Object> connection = appendOnly(org, mailbox, apiName);
        String subject = "Unmatched " + unique("s");
        String messageId = "<" + unique("q") + "@example.test>";
        deliver(
                mailbox,
                "From: a@example.test\r\nTo: soc@example.test\r\nSubject: " + subject + "\r\nMessage-ID: " + messageId
                        + "\r\nContent-Type: text/plain\r\n\r\nPlease look at this.\r\n");
        long id = awaitQuarantined(org, subject).get("id").asLong();

        browser.signIn(user, PASSWORD);
        browser.open("/orgs/" + org + "/quarantine");
        assertThat(browser.find("nav a.current").getText()).isEqualTo("Quarantine");
        WebElement row = browser.find("#quarantined-" + id);
        assertThat(row.getText()).contains(apiName, subject, messageId, "UNMATCHED", "Quarantined");
        assertThat(row.findElement(By.cssSelector(".quarantine-reason")).getText())
                .containsIgnoringCase("append");
        assertNoConsoleErrors();

        // the raw message, exactly as fetched, as a download
        HttpResponse<byte[]> raw =
                fetch(row.findElement(By.linkText("Raw .eml")).getAttribute("href"));
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        assertThat(raw.headers().firstValue("Content-Disposition").orElse(""))
                .isEqualTo("attachment; filename=\"quarantined-" + id + ".eml\"");
        assertThat(raw.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(new String(raw.body(), StandardCharsets.UTF_8))
                .contains("Subject: " + subject, "Please look at this.");

        // still unmatched: the retry says so, and the message stays
        row.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.waitForElement("#retry-problem").getText())
                .startsWith("Message " + id + " is still failing (UNMATCHED): ")
                .containsIgnoringCase("append");
        assertThat(browser.all(".flash")).isEmpty();
        assertThat(browser.path()).isEqualTo("/orgs/" + org + "/quarantine");
        assertThat(browser.find("#quarantined-" + id).getText()).contains("Quarantined", "Retried 1 time");
        assertNoConsoleErrors();
        browser.screenshot("quarantine");

        // after the admin lets the connection create incidents, the retry releases it into a new incident
        connection.remove("apiName");
        connection.put("incidentPolicy", Map.of("mode", "CREATE_OR_APPEND"));
        api(HttpMethod.PUT, "/api/v1/orgs/" + org + "/connections/" + apiName, admin(), connection, 200);
        browser.find("#quarantined-" + id + " button[type=submit]").click();
        String flash = browser.waitForElement(".flash").getText();
        assertThat(browser.all("#retry-problem")).isEmpty();
        long incident = awaitIncident(org, subject).get("id").asLong();
        assertThat(flash).isEqualTo("Message " + id + " was processed and released into incident " + incident + ".");
        WebElement released = browser.find("#quarantined-" + id);
        assertThat(released.getText()).contains("Released", "Retried 2 times");
        assertThat(released.findElements(By.cssSelector("button[type=submit]"))).isEmpty();
        assertNoConsoleErrors();
    }

    /** An S/MIME message that cannot be decrypted has no parsed subject; its outer From and Subject say what it is. */
    @Test
    void anEncryptedMessageShowsItsOuterFromAndSubject() {
        String user = unique("analyst");
        String org = organizationWithUser(user, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        Map<String, Object> request = new LinkedHashMap<>(imapConnectionRequest(mailbox, unique("smime")));
        request.put("decryption", Map.of("enabled", true)); // and no key: the message cannot be decrypted
        api(HttpMethod.POST, "/api/v1/orgs/" + org + "/connections", admin(), request, 201);
        deliver(
                mailbox,
                "From: Treasurer <cfo@example.test>\r\nTo: soc@example.test\r\n"
                        + "Subject: =?UTF-8?Q?Encrypted:_urgent_wire?=\r\nMessage-ID: <" + unique("e")
                        + "@example.test>\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggE=\r\n");
        long[] id = new long[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    JsonNode items = api(HttpMethod.GET, "/api/v1/orgs/" + org + "/quarantine", admin(), null, 200)
                            .path("items");
                    id[0] = items.size() == 0 ? 0 : items.get(0).path("id").asLong();
                    return items.size() > 0;
                });

        browser.signIn(user, PASSWORD);
        browser.open("/orgs/" + org + "/quarantine");
        assertThat(browser.all("#quarantine thead th").stream()
                        .map(WebElement::getText)
                        .toList())
                .contains("From");
        WebElement row = browser.find("#quarantined-" + id[0]);
        assertThat(row.findElement(By.cssSelector("td.from")).getText()).isEqualTo("Treasurer <cfo@example.test>");
        assertThat(row.findElement(By.cssSelector(".subject")).getText()).isEqualTo("Encrypted: urgent wire");
        assertNoConsoleErrors();
    }

    @Test
    void anotherOrganizationsAnalystGetsNotFound() throws Exception {
        String org = organizationWithUser(unique("analyst"), PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        appendOnly(org, mailbox, unique("append"));
        String subject = "Private unmatched " + unique("s");
        deliver(
                mailbox,
                "From: a@example.test\r\nTo: soc@example.test\r\nSubject: " + subject + "\r\nMessage-ID: <"
                        + unique("q") + "@example.test>\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        long id = awaitQuarantined(org, subject).get("id").asLong();

        String stranger = unique("stranger");
        String otherOrg = organizationWithUser(stranger, PASSWORD, "ANALYST");
        browser.signIn(stranger, PASSWORD);
        browser.open("/orgs/" + org + "/quarantine");
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        browser.consoleErrors(); // the browser logs the 404 response itself
        browser.open("/orgs/" + otherOrg + "/quarantine");
        assertThat(browser.find("h1").getText()).isEqualTo("Quarantine");
        assertThat(browser.text()).doesNotContain(subject).contains("Nothing is quarantined.");
        assertNoConsoleErrors();
        String base = "http://127.0.0.1:" + port;
        assertThat(fetch(base + "/orgs/" + otherOrg + "/quarantine/" + id + "/raw")
                        .statusCode())
                .isEqualTo(404);
        assertThat(fetch(base + "/orgs/" + org + "/quarantine/" + id + "/raw").statusCode())
                .isEqualTo(404);
        // and their retry form cannot reach it: the same POST, with their own CSRF token, is "not found"
        browser.driver.executeScript(
                "var f = document.createElement('form'); f.method = 'post';"
                        + " f.action = arguments[0]; var t = document.createElement('input'); t.type = 'hidden';"
                        + " t.name = '_csrf'; t.value = document.querySelector('meta[name=csrf-token]').content;"
                        + " f.appendChild(t); document.body.appendChild(f); f.submit();",
                "/orgs/" + otherOrg + "/quarantine/" + id + "/retry");
        browser.waitFor(d -> browser.path().endsWith("/retry"));
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        assertThat(api(HttpMethod.GET, "/api/v1/orgs/" + org + "/quarantine/" + id, admin(), null, 200)
                        .get("retryCount")
                        .asInt())
                .isZero();
    }
}

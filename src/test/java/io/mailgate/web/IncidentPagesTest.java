package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.http.HttpMethod;

class IncidentPagesTest extends WebTestSupport {

    static final String PASSWORD = "Analyst-password-1";
    static final String ATTACHMENT = "Account numbers to check:\r\n12345\r\n";

    static String phishing(String messageId, String subject) {
        String attachment = Base64.getMimeEncoder().encodeToString(ATTACHMENT.getBytes(StandardCharsets.UTF_8));
        return "From: Reporter <reporter@example.test>\r\n"
                + "To: soc@example.test\r\n"
                + "Cc: boss@example.test\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
                + "--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Your invoice is overdue. Pay at https://pay.evil.example/now\r\n"
                + "--inner\r\n"
                + "Content-Type: text/html; charset=utf-8\r\n\r\n"
                + "<html><head><style>p { color: red }</style></head><body>"
                + "<p style=\"color:red\">Your invoice is <b>overdue</b>.</p>"
                + "<script>window.pwned = 'script';</script>"
                + "<img src=\"x\" onerror=\"window.pwned = 'onerror'\">"
                + "<img src=\"https://tracker.evil.example/pixel.gif\">"
                + "<p>Pay <a href=\"https://pay.evil.example/now\">here</a> today.</p>"
                + "</body></html>\r\n"
                + "--inner--\r\n"
                + "--outer\r\n"
                + "Content-Type: text/plain; name=\"accounts.txt\"\r\n"
                + "Content-Disposition: attachment; filename=\"accounts.txt\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + attachment + "\r\n"
                + "--outer--\r\n";
    }

    static String reply(String messageId, String inReplyTo, String subject) {
        return "From: Boss <boss@example.test>\r\n"
                + "To: soc@example.test\r\n"
                + "Subject: Re: " + subject + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "In-Reply-To: " + inReplyTo + "\r\n"
                + "References: " + inReplyTo + "\r\n"
                + "Date: Fri, 27 Nov 2026 11:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + "I got <b>this</b> one too.\r\n";
    }

    static String plain(String messageId, String subject) {
        return "From: someone@example.test\r\nTo: soc@example.test\r\nSubject: " + subject + "\r\n" + "Message-ID: "
                + messageId + "\r\nContent-Type: text/plain\r\n\r\nHello\r\n";
    }

    JsonNode awaitMessages(String org, long incident, int count) {
        JsonNode[] found = new JsonNode[1];
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    found[0] =
                            api(HttpMethod.GET, "/api/v1/orgs/" + org + "/incidents/" + incident, admin(), null, 200);
                    return found[0].path("messages").size() >= count;
                });
        return found[0];
    }

    /** A GET with the browser's session, so a download link is checked byte for byte. */
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

    @SuppressWarnings("unchecked")
    static List<String> inBody(String container, String script) {
        return (List<String>) browser.driver.executeScript(
                "var c = document.querySelector(arguments[0]); var found = [];" + script + "; return found;",
                container);
    }

    @Test
    void anAnalystReadsAnIncidentWithItsMessagesSafelyAndDownloadsTheAttachment() throws Exception {
        String user = unique("analyst");
        String org = organizationWithUser(user, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        String connection = imapConnectionViaApi(org, mailbox);
        String subject = "Invoice overdue " + unique("s");
        String firstId = "<" + unique("m") + "@example.test>";
        deliver(mailbox, phishing(firstId, subject));
        long incidentId = awaitIncident(org, subject).get("id").asLong();
        deliver(mailbox, reply("<" + unique("r") + "@example.test>", firstId, subject));
        JsonNode incident = awaitMessages(org, incidentId, 2);
        long first = incident.path("messages").get(0).path("id").asLong();
        long second = incident.path("messages").get(1).path("id").asLong();

        // the list, then the incident by its link
        browser.signIn(user, PASSWORD);
        assertThat(browser.path()).isEqualTo("/orgs/" + org + "/incidents");
        assertThat(browser.find("nav a.current").getText()).isEqualTo("Incidents");
        WebElement row = browser.find("#incident-" + incidentId);
        assertThat(row.getText()).contains(subject, "OPEN", connection);
        assertThat(row.findElements(By.tagName("td")).get(4).getText()).isEqualTo("2");
        assertNoConsoleErrors();
        row.findElement(By.linkText(subject)).click();
        browser.waitFor(d -> browser.path().equals("/orgs/" + org + "/incidents/" + incidentId));

        assertThat(browser.find("h1").getText()).isEqualTo(subject);
        assertThat(browser.find("#incident-facts").getText()).contains("OPEN", connection);
        WebElement message = browser.find("#message-" + first);
        assertThat(message.findElement(By.cssSelector(".why-linked")).getText()).isEqualTo("Started this incident");
        assertThat(message.getText())
                .contains(
                        "Reporter <reporter@example.test>",
                        "soc@example.test",
                        "boss@example.test",
                        "2026-11-27 10:00:00 UTC",
                        "Not encrypted",
                        "Not signed");
        WebElement reply = browser.find("#message-" + second);
        assertThat(reply.findElement(By.cssSelector(".why-linked")).getText()).isEqualTo("Reply in the same thread");
        // a text body is text: the markup in it is shown, not interpreted
        assertThat(browser.find("#message-" + second + "-text pre").getText()).isEqualTo("I got <b>this</b> one too.");

        // the HTML body is shown, inert
        String html = "#message-" + first + "-html";
        assertThat(browser.find(html).getText())
                .contains("Your invoice is overdue.", "[remote image blocked: tracker.evil.example]");
        assertThat(
                        inBody(
                                html,
                                "c.querySelectorAll('script, style, iframe, form').forEach(function (e) { found.push(e.tagName); })"))
                .isEmpty();
        assertThat(
                        inBody(
                                html,
                                "c.querySelectorAll('*').forEach(function (e) { for (var i = 0; i < e.attributes.length; i++) {"
                                        + " var n = e.attributes[i].name; if (n.indexOf('on') === 0 || n === 'style' || n === 'href') found.push(e.tagName + ' ' + n); } })"))
                .isEmpty();
        assertThat(inBody(
                        html, "c.querySelectorAll('img').forEach(function (e) { found.push(e.getAttribute('src')); })"))
                .allMatch(src -> src.startsWith("data:image/"));
        assertThat(browser.driver.executeScript("return window.pwned === undefined"))
                .isEqualTo(true);
        WebElement link = browser.find(html + " .defanged");
        assertThat(link.getTagName()).isEqualTo("span");
        assertThat(link.getText()).isEqualTo("here");
        assertThat(browser.find(html + " .defanged-link").getText()).isEqualTo("[hxxps://pay[.]evil[.]example/now]");
        assertThat(browser.all("main a[href*='evil']")).isEmpty();

        // the attachment, byte for byte, as a download that cannot render as our page
        WebElement attachment = message.findElement(By.cssSelector("a.attachment-download"));
        assertThat(attachment.getText()).isEqualTo("accounts.txt");
        assertThat(attachment.getAttribute("href"))
                .endsWith("/orgs/" + org + "/email-messages/" + first + "/attachments/0");
        HttpResponse<byte[]> download = fetch(attachment.getAttribute("href"));
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo(ATTACHMENT);
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .startsWith("attachment;")
                .contains("accounts.txt");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().allValues("Content-Security-Policy")).contains("sandbox");

        // the raw message as fetched
        WebElement raw = message.findElement(By.cssSelector("a.raw-download"));
        HttpResponse<byte[]> eml = fetch(raw.getAttribute("href"));
        assertThat(eml.statusCode()).isEqualTo(200);
        assertThat(eml.headers().firstValue("Content-Type").orElse("")).startsWith("message/rfc822");
        assertThat(eml.headers().firstValue("Content-Disposition").orElse("")).contains("message-" + first + ".eml");
        assertThat(new String(eml.body(), StandardCharsets.UTF_8))
                .contains("Message-ID: " + firstId, "<script>window.pwned = 'script';</script>");

        // artifacts found in the messages
        assertThat(browser.find("#artifacts").getText()).contains("pay.evil.example");

        assertNoConsoleErrors();
        // the picture shows the first message as it reads: facts, attachment, the inert HTML body
        browser.driver.executeScript("document.getElementById(arguments[0]).scrollIntoView()", "message-" + first);
        browser.screenshot("incident-detail");
    }

    @Test
    void theListShowsTheMostRecentlyUpdatedFirstAndPagesOn() {
        String user = unique("analyst");
        String org = organizationWithUser(user, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        imapConnectionViaApi(org, mailbox);
        String older = "Older " + unique("s");
        String newer = "Newer " + unique("s");
        String olderId = "<" + unique("m") + "@example.test>";
        deliver(mailbox, plain(olderId, older));
        long olderIncident = awaitIncident(org, older).get("id").asLong();
        deliver(mailbox, plain("<" + unique("m") + "@example.test>", newer));
        long newerIncident = awaitIncident(org, newer).get("id").asLong();

        browser.signIn(user, PASSWORD);
        assertThat(browser.all("#incidents tbody tr").stream()
                        .map(r -> r.getAttribute("id"))
                        .toList())
                .containsExactly("incident-" + newerIncident, "incident-" + olderIncident);

        // a reply brings the older one to the top
        deliver(mailbox, reply("<" + unique("r") + "@example.test>", olderId, older));
        awaitMessages(org, olderIncident, 2);
        browser.open("/orgs/" + org + "/incidents?limit=1");
        assertThat(browser.all("#incidents tbody tr").stream()
                        .map(r -> r.getAttribute("id"))
                        .toList())
                .containsExactly("incident-" + olderIncident);
        browser.find("#next-page").click();
        browser.waitFor(d -> browser.path().contains("before="));
        assertThat(browser.all("#incidents tbody tr").stream()
                        .map(r -> r.getAttribute("id"))
                        .toList())
                .containsExactly("incident-" + newerIncident);
        assertThat(browser.all("#next-page")).isEmpty();
        assertNoConsoleErrors();

        browser.find("#newest-page").click();
        browser.waitFor(d -> !browser.path().contains("before="));
        assertThat(browser.find("#incidents tbody tr").getAttribute("id")).isEqualTo("incident-" + olderIncident);
    }

    @Test
    void theNewestIncidentsRefreshThemselvesAndEmailContentStaysInert() {
        String user = unique("analyst");
        String org = organizationWithUser(user, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        imapConnectionViaApi(org, mailbox);
        browser.signIn(user, PASSWORD);
        assertThat(browser.path()).isEqualTo("/orgs/" + org + "/incidents");
        assertThat(browser.find("#incidents tbody").getText()).isEqualTo("No incidents yet.");
        // the same self-refresh as the connections list (mailgate.js pauses it while hidden, stops it after 25 min)
        assertThat(browser.find("#incident-rows").getAttribute("hx-trigger")).isEqualTo("every 10s");
        browser.driver.executeScript("window.stillTheSamePage = true");

        String subject = "Refreshed " + unique("s");
        deliver(
                mailbox,
                "From: someone@example.test\r\nTo: soc@example.test\r\nSubject: " + subject + "\r\n"
                        + "Message-ID: <" + unique("m") + "@example.test>\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain\r\n\r\nPay at https://pay.evil.example/now today\r\n"
                        + "--b\r\nContent-Type: text/html\r\n\r\n<h2>Urgent payment</h2><section><p>Pay now</p></section>\r\n"
                        + "--b--\r\n");
        // the rows are replaced by each refresh: a row read as it is replaced is asked again (Browser.waitFor)
        browser.waitFor(
                Duration.ofSeconds(45),
                d -> browser.find("#incidents tbody").getText().contains(subject));
        assertThat(browser.driver.executeScript("return window.stillTheSamePage === true"))
                .isEqualTo(true);
        assertThat(browser.path()).isEqualTo("/orgs/" + org + "/incidents");
        assertNoConsoleErrors();

        // an older page does not refresh (its rows would jump)
        browser.open("/orgs/" + org + "/incidents?before=" + Long.MAX_VALUE);
        assertThat(browser.find("#incident-rows").getAttribute("hx-trigger")).isNull();

        browser.open("/orgs/" + org + "/incidents");
        browser.find("#incidents a").click();
        browser.waitFor(d -> browser.path().matches("/orgs/" + org + "/incidents/\\d+"));
        // the plain-text body's URL is defanged like the HTML body's links
        String text = browser.find(".text-alternative pre").getAttribute("textContent");
        assertThat(text).contains("hxxps://pay[.]evil[.]example/now").doesNotContain("https://pay.evil.example");
        // the email's heading and section are not the page's
        assertThat(browser.all("main h2").stream().map(h -> h.getText()).toList())
                .doesNotContain("Urgent payment");
        assertThat(browser.all("main .html-body h2, main .html-body section")).isEmpty();
        assertThat(browser.find(".html-body .email-heading").getText()).isEqualTo("Urgent payment");
        assertNoConsoleErrors();
    }

    @Test
    void anotherOrganizationsAnalystGetsNotFound() throws Exception {
        String owner = unique("analyst");
        String org = organizationWithUser(owner, PASSWORD, "ANALYST");
        Mailbox mailbox = mailbox();
        imapConnectionViaApi(org, mailbox);
        String subject = "Private " + unique("s");
        deliver(mailbox, phishing("<" + unique("m") + "@example.test>", subject));
        JsonNode incident = awaitIncident(org, subject);
        long incidentId = incident.get("id").asLong();
        long messageId = incident.path("messages").get(0).path("id").asLong();

        String stranger = unique("stranger");
        String otherOrg = organizationWithUser(stranger, PASSWORD, "ANALYST");
        browser.signIn(stranger, PASSWORD);
        browser.open("/orgs/" + org + "/incidents/" + incidentId);
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        browser.open("/orgs/" + org + "/incidents");
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        // in their own organization, the other's ids do not exist
        browser.open("/orgs/" + otherOrg + "/incidents/" + incidentId);
        assertThat(browser.find("h1").getText()).isEqualTo("404 Not Found");
        assertThat(browser.text()).doesNotContain(subject);
        String base = "http://127.0.0.1:" + port + "/orgs/" + otherOrg + "/email-messages/" + messageId;
        assertThat(fetch(base + "/raw").statusCode()).isEqualTo(404);
        assertThat(fetch(base + "/attachments/0").statusCode()).isEqualTo(404);
        assertThat(fetch("http://127.0.0.1:" + port + "/orgs/" + org + "/email-messages/" + messageId + "/raw")
                        .statusCode())
                .isEqualTo(404);
    }
}

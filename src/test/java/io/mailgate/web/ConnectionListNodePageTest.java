package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * In a cluster the connections page names the node running each connection ("none" while no node does). One node on
 * an embedded ZooKeeper is a cluster for the page; an application of its own (random port, its own H2 database and
 * mail server), not the shared page tests' one, so that its cluster setting touches no other test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.datasource.url=jdbc:h2:mem:mailgate-web-cluster;DB_CLOSE_DELAY=-1",
            "mailgate.admin-password=" + ConnectionListNodePageTest.ADMIN_PASSWORD,
            "MAILGATE_MASTER_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "mailgate.ingest.spool-directory=target/test-spool-web-cluster",
            "mailgate.cluster.node-id=page-node-1",
            "mailgate.cluster.reconcile-interval=300ms",
            "spring.jmx.unique-names=true",
            "camel.main.name=mailgate-page-cluster",
        })
@DirtiesContext
class ConnectionListNodePageTest {

    static final String ADMIN_PASSWORD = "Web-cluster-admin-password-1";
    static final TestingServer ZOOKEEPER = zookeeper();
    static final GreenMail MAIL = new GreenMail(ServerSetupTest.IMAP.dynamicPort());

    static {
        MAIL.start();
    }

    @DynamicPropertySource
    static void coordinator(DynamicPropertyRegistry registry) {
        registry.add("mailgate.cluster.zookeeper.connect-string", ZOOKEEPER::getConnectString);
    }

    @LocalServerPort
    int port;

    @Autowired
    TestRestTemplate http;

    @Autowired
    ObjectMapper json;

    @AfterAll
    static void stop() {
        // ZooKeeper stays up until the JVM ends: the application context closes after this method (@DirtiesContext)
        // and must leave its elections cleanly rather than retry a coordinator that is gone
        MAIL.stop();
    }

    @Test
    void theListNamesTheNodeRunningEachConnection() throws Exception {
        MAIL.setUser("nodes@example.test", "nodes@example.test", "pw-nodes");
        api(
                HttpMethod.POST,
                "/api/v1/orgs/default/connections",
                Map.of(
                        "apiName",
                        "nodes",
                        "name",
                        "Node mailbox",
                        "protocol",
                        "IMAP",
                        "polling",
                        Map.of("intervalSeconds", 1),
                        "imap",
                        Map.of(
                                "host",
                                "127.0.0.1",
                                "port",
                                MAIL.getImap().getPort(),
                                "emailAddress",
                                "nodes@example.test",
                                "password",
                                "pw-nodes",
                                "encryption",
                                "NONE")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "page-node-1"
                        .equals(json.readTree(
                                        api(HttpMethod.GET, "/api/v1/orgs/default/connections/nodes/status", null))
                                .path("node")
                                .asText()));

        try (Browser browser = new Browser("http://127.0.0.1:" + port)) {
            browser.signIn("admin", ADMIN_PASSWORD);
            browser.open("/orgs/default/connections");
            WebElement row = browser.waitForElement("#connection-nodes");
            List<String> headers =
                    browser.all("thead th").stream().map(WebElement::getText).toList();
            assertThat(headers).contains("Node");
            assertThat(row.findElement(By.cssSelector("td.node")).getText()).isEqualTo("page-node-1");
            // the column sits under its header
            assertThat(row.findElements(By.cssSelector("td"))
                            .get(headers.indexOf("Node"))
                            .getText())
                    .isEqualTo("page-node-1");
            assertThat(browser.consoleErrors()).isEmpty();

            // disabled, no node runs it
            browser.find("#connection-nodes form button[type=submit]").click();
            browser.waitFor(d -> {
                d.navigate().refresh();
                return d.findElement(By.cssSelector("#connection-nodes td.node"))
                        .getText()
                        .equals("none");
            });
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    private String api(HttpMethod method, String path, Object body) throws Exception {
        HttpHeaders headers = new HttpHeaders();
        headers.set(
                HttpHeaders.AUTHORIZATION,
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        headers.setContentType(MediaType.APPLICATION_JSON);
        var response = http.exchange(
                path,
                method,
                new HttpEntity<>(body == null ? null : json.writeValueAsString(body), headers),
                String.class);
        assertThat(response.getStatusCode().is2xxSuccessful())
                .as("%s %s: %s", method, path, response.getBody())
                .isTrue();
        return response.getBody();
    }

    private static TestingServer zookeeper() {
        try {
            return new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

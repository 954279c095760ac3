package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.MailgateApplication;
import io.mailgate.testing.PostgresTestSchema;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.curator.test.TestingServer;
import org.assertj.core.api.Assertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Three mailgate nodes (three Spring contexts, three Camel contexts, three ports) on one PostgreSQL database, through
 * an embedded ZooKeeper, reading six GreenMail mailboxes: each connection runs on exactly one node, the forwarder on
 * one, a change made through one node reaches the node running the connection, and when a node stops its
 * connections and forwarder move to the others without losing or doubling a message. PostgreSQL is what a cluster
 * shares (CI sets MAILGATE_TEST_POSTGRES_INGEST_URL; the test uses its own schema there); without it the class is
 * skipped.
 */
class ClusterNodesTest {

    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String ADMIN_PASSWORD = "Cluster-admin-password-1";
    static final int CONNECTIONS = 6;
    static final int MESSAGES_EACH = 4;

    static TestingServer zookeeper;
    static GreenMail mail;
    static PostgresTestSchema database;
    static WireMockServer soar;
    static final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() throws Exception {
        database = PostgresTestSchema.fromEnvironment("mailgate_cluster_test");
        zookeeper = new TestingServer(true);
        mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
        soar = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        soar.start();
        soar.stubFor(WireMock.post(WireMock.urlEqualTo("/hook"))
                .willReturn(WireMock.aResponse().withStatus(200)));

        nodes.put("node-a", start("node-a")); // the first start migrates the schema and writes the key check
        // one after the other: Hawtio checks, then registers, its MBeans in the JVM's one platform MBean server, so two
        // contexts starting at once in one JVM can collide (CI saw InstanceAlreadyExistsException); nodes in their own
        // JVMs do not share it
        nodes.put("node-b", start("node-b"));
        nodes.put("node-c", start("node-c"));
    }

    static ConfigurableApplicationContext start(String node) {
        return start(node, MASTER_KEY);
    }

    static ConfigurableApplicationContext start(String node, String masterKey) {
        // command-line arguments: they win over application.yaml, as a node's own settings would
        return new SpringApplicationBuilder(MailgateApplication.class)
                .run(Stream.of(
                                "server.port=0",
                                "spring.jmx.unique-names=true",
                                "spring.datasource.url=" + database.schemaUrl(),
                                "spring.datasource.username=" + database.user(),
                                "spring.datasource.password=" + database.password(),
                                "spring.flyway.default-schema=" + database.schema(),
                                "spring.flyway.create-schemas=true",
                                "MAILGATE_MASTER_KEY=" + masterKey,
                                "mailgate.admin-password=" + ADMIN_PASSWORD,
                                "mailgate.ingest.spool-directory=target/cluster-spool/" + node,
                                "mailgate.external-routes.directory=target/cluster-no-routes",
                                "camel.main.name=mailgate-" + node,
                                "mailgate.cluster.node-id=" + node,
                                "mailgate.cluster.zookeeper.connect-string=" + zookeeper.getConnectString(),
                                "mailgate.cluster.zookeeper.session-timeout=6s",
                                "mailgate.cluster.reconcile-interval=500ms",
                                "mailgate.outbox.forwarders.soar.uri=http://127.0.0.1:" + soar.port() + "/hook",
                                "mailgate.outbox.forwarders.soar.poll-interval=300ms",
                                "mailgate.outbox.forwarders.soar.redelivery-delay=50ms")
                        .map(arg -> "--" + arg)
                        .toArray(String[]::new));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        nodes.values().forEach(ConfigurableApplicationContext::close);
        if (database != null) {
            database.drop();
        }
        if (soar != null) {
            soar.stop();
        }
        if (mail != null) {
            mail.stop();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    record Mailbox(String apiName, GreenMailUser user) {
        String routeId() {
            return "imap-default-" + apiName;
        }
    }

    @Test
    void connectionsAndTheForwarderRunOnceAndMoveWhenANodeStops() throws Exception {
        List<Mailbox> mailboxes = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            String apiName = "mbx" + i;
            GreenMailUser user = mail.setUser(apiName + "@example.test", apiName + "@example.test", "pw-" + apiName);
            mailboxes.add(new Mailbox(apiName, user));
            assertThat(call(
                                    "node-" + "abc".charAt(i % 3),
                                    "POST",
                                    "/api/v1/orgs/default/connections",
                                    connectionRequest(apiName, true))
                            .statusCode())
                    .isEqualTo(201);
            for (int m = 0; m < MESSAGES_EACH; m++) {
                deliver(user, apiName, m);
            }
        }

        // each connection on exactly one node, and every node's status names that node
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (Mailbox mailbox : mailboxes) {
                assertThat(nodesRunning(mailbox.routeId()))
                        .as(mailbox.apiName())
                        .hasSize(1);
            }
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Mailbox mailbox : mailboxes) {
                String owner = nodesRunning(mailbox.routeId()).get(0);
                for (String node : nodes.keySet()) {
                    JsonNode status = json.readTree(
                            call(node, "GET", "/api/v1/orgs/default/connections/" + mailbox.apiName() + "/status", null)
                                    .body());
                    assertThat(status.get("node").asText())
                            .as("%s seen from %s", mailbox.apiName(), node)
                            .isEqualTo(owner);
                    // the other nodes answer with what the running node shared
                    assertThat(status.get("state").asText())
                            .as("%s seen from %s", mailbox.apiName(), node)
                            .isEqualTo("RUNNING");
                    assertThat(status.get("lastPollAt").isNull()).isFalse();
                }
            }
        });
        // spread evenly over the nodes, not all on the first one: two each
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            Map<String, Long> spread = mailboxes.stream()
                    .filter(m -> nodesRunning(m.routeId()).size() == 1)
                    .collect(
                            Collectors.groupingBy(m -> nodesRunning(m.routeId()).get(0), Collectors.counting()));
            assertThat(spread)
                    .as("connections per node")
                    .containsOnly(Map.entry("node-a", 2L), Map.entry("node-b", 2L), Map.entry("node-c", 2L));
        });
        System.out.printf("cluster: connections per node 2/2/2%n");
        for (Mailbox mailbox : mailboxes) {
            assertThat(nodesRunning(mailbox.routeId())).as(mailbox.apiName()).hasSize(1);
        }
        // the forwarder on exactly one node
        assertThat(nodesRunning("mailgate-outbox-soar")).hasSize(1);
        awaitStored(CONNECTIONS * MESSAGES_EACH);

        // GET /api/v1/cluster on any node: three nodes and who runs what. It shows what the coordinator told this
        // node, which may trail the routes by a watch notification (CI once saw 5 of 6 listed just after the spread).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode cluster =
                    json.readTree(call("node-b", "GET", "/api/v1/cluster", null).body());
            assertThat(cluster.get("clustered").asBoolean()).isTrue();
            assertThat(cluster.get("coordinator").get("type").asText()).isEqualTo("zookeeper");
            assertThat(cluster.get("coordinator").get("connected").asBoolean()).isTrue();
            List<String> listed = new ArrayList<>();
            cluster.get("nodes").forEach(n -> listed.add(n.get("id").asText()));
            assertThat(listed).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
            int listedConnections = 0;
            for (JsonNode n : cluster.get("nodes")) {
                listedConnections += n.get("connections").size();
                assertThat(n.get("since").isNull()).isFalse();
            }
            assertThat(listedConnections).isEqualTo(CONNECTIONS);
        });

        // a change through one node reaches the node running the connection
        Mailbox changed = mailboxes.stream()
                .filter(m -> !nodesRunning(m.routeId()).contains("node-a"))
                .findFirst()
                .orElse(mailboxes.get(0));
        String changer = nodes.keySet().stream()
                .filter(n -> !nodesRunning(changed.routeId()).contains(n))
                .findFirst()
                .orElseThrow();
        long before = System.nanoTime();
        assertThat(call(
                                changer,
                                "PUT",
                                "/api/v1/orgs/default/connections/" + changed.apiName(),
                                connectionRequest(changed.apiName(), false))
                        .statusCode())
                .isEqualTo(200);
        awaitRoute(changed.routeId(), 0, Duration.ofSeconds(10));
        System.out.printf(
                "cluster: disabling through %s stopped the route on its node after %d ms%n",
                changer, (System.nanoTime() - before) / 1_000_000);
        before = System.nanoTime();
        assertThat(call(
                                changer,
                                "PUT",
                                "/api/v1/orgs/default/connections/" + changed.apiName(),
                                connectionRequest(changed.apiName(), true))
                        .statusCode())
                .isEqualTo(200);
        // the node that ran it holds the election until its route has stopped and gone; then one node starts it
        awaitRoute(changed.routeId(), 1, Duration.ofSeconds(30));
        System.out.printf(
                "cluster: enabling again through %s started the route on one node after %d ms%n",
                changer, (System.nanoTime() - before) / 1_000_000);

        // stop the node running the most connections, with mail arriving: its work moves, nothing lost or doubled
        String victim = nodes.keySet().stream()
                .max(Comparator.comparingLong(n -> mailboxes.stream()
                        .filter(m -> nodesRunning(m.routeId()).contains(n))
                        .count()))
                .orElseThrow();
        List<Mailbox> moved = mailboxes.stream()
                .filter(m -> nodesRunning(m.routeId()).contains(victim))
                .toList();
        for (Mailbox mailbox : mailboxes) {
            for (int m = MESSAGES_EACH; m < 2 * MESSAGES_EACH; m++) {
                deliver(mailbox.user(), mailbox.apiName(), m);
            }
        }
        long stopped = System.nanoTime();
        nodes.remove(victim).close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (Mailbox mailbox : mailboxes) {
                assertThat(nodesRunning(mailbox.routeId()))
                        .as(mailbox.apiName())
                        .hasSize(1);
            }
            assertThat(nodesRunning("mailgate-outbox-soar")).hasSize(1);
        });
        System.out.printf(
                "cluster: %d connections of stopped %s running elsewhere after %d ms%n",
                moved.size(), victim, (System.nanoTime() - stopped) / 1_000_000);

        awaitStored(CONNECTIONS * 2 * MESSAGES_EACH);
        JdbcTemplate jdbc = nodes.values().iterator().next().getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForList(
                        "SELECT message_id FROM email_messages GROUP BY message_id HAVING COUNT(*) > 1", String.class))
                .as("doubled messages")
                .isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (Mailbox mailbox : mailboxes) {
                assertThat(mail.getManagers()
                                .getImapHostManager()
                                .getInbox(mailbox.user())
                                .getMessages())
                        .allMatch(m -> m.getFlags().contains(Flags.Flag.SEEN));
            }
        });

        // every incident went to the SOAR; a repeat (after the failover) has the same delivery id
        List<Long> incidents = jdbc.queryForList("SELECT id FROM incidents", Long.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> deliveries =
                    soar.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hook"))).stream()
                            .map(r -> r.getHeader("X-Mailgate-Delivery"))
                            .collect(Collectors.groupingBy(d -> d.split("-")[0], Collectors.counting()));
            assertThat(deliveries.keySet())
                    .containsAll(incidents.stream().map(String::valueOf).toList());
        });
        List<LoggedRequest> all = soar.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hook")));
        System.out.printf(
                "cluster: %d incidents, %d deliveries (%d distinct delivery ids)%n",
                incidents.size(),
                all.size(),
                all.stream()
                        .map(r -> r.getHeader("X-Mailgate-Delivery"))
                        .distinct()
                        .count());
    }

    @Test
    void aNodeWithAnotherMasterKeyRefusesToStart() {
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        Assertions.assertThatThrownBy(() -> start("node-wrong-key", otherKey))
                .rootCause()
                .hasMessageContaining("is not the key this database's secrets were written with");
    }

    /** The nodes on which the route is started now. */
    static List<String> nodesRunning(String routeId) {
        List<String> running = new ArrayList<>();
        nodes.forEach((node, context) -> {
            ServiceStatus status =
                    context.getBean(CamelContext.class).getRouteController().getRouteStatus(routeId);
            if (status != null && status.isStarted()) {
                running.add(node);
            }
        });
        return running;
    }

    /**
     * Waits until the route is started on exactly {@code count} nodes; on a timeout the failure says what each node
     * had (route status, and the leader its coordinator named), since a timing failure on a busy machine is otherwise
     * hard to read.
     */
    static void awaitRoute(String routeId, int count, Duration within) {
        try {
            await().atMost(within).until(() -> nodesRunning(routeId).size() == count);
        } catch (ConditionTimeoutException e) {
            StringBuilder seen = new StringBuilder();
            nodes.forEach((node, context) -> {
                ServiceStatus status =
                        context.getBean(CamelContext.class).getRouteController().getRouteStatus(routeId);
                String leader =
                        context.getBean(Cluster.class).nodeRunning(routeId).orElse("none");
                seen.append(String.format("%n  %s: route %s, leader %s", node, status, leader));
            });
            throw new AssertionError(
                    "Route " + routeId + " not started on " + count + " node(s) within " + within + ":" + seen, e);
        }
    }

    static void awaitStored(int expected) {
        JdbcTemplate jdbc = nodes.values().iterator().next().getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM email_messages", Long.class))
                        .isEqualTo(expected));
    }

    static Map<String, Object> connectionRequest(String apiName, boolean enabled) {
        Map<String, Object> imap = new LinkedHashMap<>();
        imap.put("host", "127.0.0.1");
        imap.put("port", mail.getImap().getPort());
        imap.put("emailAddress", apiName + "@example.test");
        imap.put("password", "pw-" + apiName);
        imap.put("encryption", "NONE");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("apiName", apiName);
        request.put("name", "Mailbox " + apiName);
        request.put("protocol", "IMAP");
        request.put("enabled", enabled);
        request.put("imap", imap);
        request.put("polling", Map.of("intervalSeconds", 1));
        return request;
    }

    static void deliver(GreenMailUser user, String apiName, int n) {
        String raw = "From: reporter@example.org\r\nTo: " + apiName + "@example.test\r\nSubject: Report " + n + " to "
                + apiName + "\r\nMessage-ID: <" + apiName + "-" + n + "@cluster.test>\r\n\r\nSee http://bad" + n
                + ".example/" + apiName + "\r\n";
        try {
            user.deliver(new MimeMessage(
                    Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> call(String node, String method, String path, Object body) throws Exception {
        int port =
                ((WebServerApplicationContext) nodes.get(node)).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.mailgate.MailgateApplication;
import io.mailgate.testing.PostgresTestSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Kubernetes coordinator: two mailgate nodes elect through Leases ({@code coordination.k8s.io/v1}) the way they
 * would in a cluster, with Camel's KubernetesClusterService talking to fabric8's Kubernetes API server double in
 * CRUD mode (it keeps the leases and pods it is sent, with resource versions, so two nodes racing for a lease are
 * refused as a real API server refuses them). The pods are what Kubernetes would show: running and ready while the
 * node lives, gone when it dies. Each connection runs on one node; when a node's pod goes, its connections move to
 * the other node and no message is lost or doubled. Needs PostgreSQL, which the nodes share (CI provides it).
 */
class ClusterKubernetesLeaseTest {

    static final String NAMESPACE = "soc";
    static final String ADMIN_PASSWORD = "Cluster-admin-password-1";
    static final int CONNECTIONS = 4;

    static KubernetesMockServer kubernetes;
    static KubernetesClient client;
    static GreenMail mail;
    static PostgresTestSchema database;
    static final Map<String, ConfigurableApplicationContext> nodes = new LinkedHashMap<>();
    static final ObjectMapper json = new ObjectMapper();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startCluster() throws Exception {
        database = PostgresTestSchema.fromEnvironment("mailgate_k8s_test");
        kubernetes = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        kubernetes.init();
        client = kubernetes.createClient();
        mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
        for (String node : List.of("k8s-a", "k8s-b")) {
            client.pods().inNamespace(NAMESPACE).resource(readyPod(node)).create();
            nodes.put(node, start(node)); // one after the other: the first migrates the schema
        }
    }

    @AfterAll
    static void stopCluster() {
        nodes.values().forEach(ConfigurableApplicationContext::close);
        if (database != null) {
            database.drop();
        }
        if (mail != null) {
            mail.stop();
        }
        if (client != null) {
            client.close();
        }
        if (kubernetes != null) {
            kubernetes.destroy();
        }
    }

    @Test
    void eachConnectionRunsOnOnePodAndMovesWhenItsPodIsGone() throws Exception {
        List<GreenMailUser> users = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            String apiName = "k" + i;
            users.add(mail.setUser(apiName + "@example.test", apiName + "@example.test", "pw-" + apiName));
            assertThat(call(
                                    i % 2 == 0 ? "k8s-a" : "k8s-b",
                                    "POST",
                                    "/api/v1/orgs/default/connections",
                                    connectionRequest(apiName))
                            .statusCode())
                    .isEqualTo(201);
            ClusterNodesTest.deliver(users.get(i), apiName, 0);
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(nodesRunning("imap-default-k" + i)).as("k" + i).hasSize(1);
            }
        });
        // the election is in Leases, one per connection, held by the node that runs it
        for (int i = 0; i < CONNECTIONS; i++) {
            String holder = leaseHolderOf("k" + i);
            assertThat(holder)
                    .as("lease of k%d", i)
                    .isEqualTo(nodesRunning("imap-default-k" + i).get(0));
        }
        JsonNode cluster =
                json.readTree(call("k8s-b", "GET", "/api/v1/cluster", null).body());
        assertThat(cluster.get("coordinator").get("type").asText()).isEqualTo("kubernetes");
        List<String> listed = new ArrayList<>();
        cluster.get("nodes").forEach(n -> listed.add(n.get("id").asText()));
        assertThat(listed).containsExactlyInAnyOrder("k8s-a", "k8s-b");
        awaitStored(CONNECTIONS);

        // the pod of the node running most connections dies: Kubernetes removes it, its node is gone
        String victim = nodes.keySet().stream()
                .max(Comparator.comparingLong(n -> countRunning(n)))
                .orElseThrow();
        String survivor = nodes.keySet().stream()
                .filter(n -> !n.equals(victim))
                .findFirst()
                .orElseThrow();
        for (int i = 0; i < CONNECTIONS; i++) {
            ClusterNodesTest.deliver(users.get(i), "k" + i, 1);
        }
        long gone = System.nanoTime();
        nodes.remove(victim).close();
        client.pods().inNamespace(NAMESPACE).withName(victim).delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 0; i < CONNECTIONS; i++) {
                assertThat(nodesRunning("imap-default-k" + i)).as("k" + i).containsExactly(survivor);
            }
        });
        System.out.printf(
                "kubernetes: connections of %s running on %s %d ms after its pod was gone%n",
                victim, survivor, (System.nanoTime() - gone) / 1_000_000);
        awaitStored(2 * CONNECTIONS);
        JdbcTemplate jdbc = nodes.get(survivor).getBean(JdbcTemplate.class);
        assertThat(jdbc.queryForList(
                        "SELECT message_id FROM email_messages GROUP BY message_id HAVING COUNT(*) > 1", String.class))
                .as("doubled messages")
                .isEmpty();
    }

    static Map<String, Object> connectionRequest(String apiName) {
        Map<String, Object> imap = new LinkedHashMap<>();
        imap.put("host", "127.0.0.1");
        imap.put("port", mail.getImap().getPort());
        imap.put("emailAddress", apiName + "@example.test");
        imap.put("password", "pw-" + apiName);
        imap.put("encryption", "NONE");
        return Map.of(
                "apiName",
                apiName,
                "name",
                "Mailbox " + apiName,
                "protocol",
                "IMAP",
                "imap",
                imap,
                "polling",
                Map.of("intervalSeconds", 1));
    }

    /** The holder of the Lease Camel keeps for the connection's election (named after resource and namespace). */
    static String leaseHolderOf(String apiName) {
        long id = nodes.values()
                .iterator()
                .next()
                .getBean(JdbcTemplate.class)
                .queryForObject("SELECT id FROM connections WHERE api_name = ?", Long.class, apiName);
        List<Lease> leases = client.leases().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(l -> l.getMetadata().getName().endsWith("mailgate-connection-" + id))
                .toList();
        assertThat(leases)
                .as(
                        "lease of %s (connection %d) among %s",
                        apiName,
                        id,
                        client.leases().inNamespace(NAMESPACE).list().getItems().stream()
                                .map(l -> l.getMetadata().getName())
                                .toList())
                .hasSize(1);
        return leases.get(0).getSpec().getHolderIdentity();
    }

    static Pod readyPod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .addToLabels("app", "mailgate")
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
    }

    static ConfigurableApplicationContext start(String node) {
        return new SpringApplicationBuilder(MailgateApplication.class)
                .run(Stream.of(
                                "server.port=0",
                                "spring.jmx.unique-names=true",
                                "spring.datasource.url=" + database.schemaUrl(),
                                "spring.datasource.username=" + database.user(),
                                "spring.datasource.password=" + database.password(),
                                "spring.flyway.default-schema=" + database.schema(),
                                "spring.flyway.create-schemas=true",
                                "MAILGATE_MASTER_KEY=" + ClusterNodesTest.MASTER_KEY,
                                "mailgate.admin-password=" + ADMIN_PASSWORD,
                                "mailgate.ingest.spool-directory=target/k8s-spool/" + node,
                                "mailgate.external-routes.directory=target/cluster-no-routes",
                                "camel.main.name=mailgate-" + node,
                                "mailgate.cluster.node-id=" + node,
                                "mailgate.cluster.kubernetes.enabled=true",
                                "mailgate.cluster.kubernetes.namespace=" + NAMESPACE,
                                "mailgate.cluster.kubernetes.master-url=" + kubernetes.url("/"),
                                "mailgate.cluster.kubernetes.lease-duration=4s",
                                "mailgate.cluster.reconcile-interval=500ms")
                        .map(arg -> "--" + arg)
                        .toArray(String[]::new));
    }

    static long countRunning(String node) {
        return IntStream.range(0, CONNECTIONS)
                .filter(i -> nodesRunning("imap-default-k" + i).contains(node))
                .count();
    }

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

    static void awaitStored(int expected) {
        JdbcTemplate jdbc = nodes.values().iterator().next().getBean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM email_messages", Long.class))
                        .isEqualTo(expected));
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

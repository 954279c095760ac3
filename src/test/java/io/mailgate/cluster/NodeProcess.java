package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.MailgateApplication;
import io.mailgate.testing.ChildMailgate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One mailgate node in a JVM of its own, started from this test class path with a small heap, in a working directory
 * of its own (its spool and logs), on a shared PostgreSQL schema and ZooKeeper: what a real node is, so that
 * {@link #kill()} is a real {@code kill -9} (no shutdown hook, no coordinator goodbye, no flush). Used by the
 * failover test and the 1-vs-3-nodes benchmark.
 */
final class NodeProcess {

    static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final String ADMIN_PASSWORD = "Cluster-kill-admin-password-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A PostgreSQL schema of its own in the test database, shared by the nodes of one run. */
    record Database(String url, String user, String password, String schema) {

        /**
         * A fresh schema in the PostgreSQL database the environment names (the one CI provides): CI must provide
         * it, elsewhere the test is skipped without it.
         */
        static Database fromEnvironment(String prefix) throws Exception {
            String url = firstSet(
                    "MAILGATE_TEST_POSTGRES_CLUSTER_URL",
                    "MAILGATE_TEST_POSTGRES_INGEST_URL",
                    "MAILGATE_TEST_POSTGRES_URL");
            if ("true".equals(System.getenv("CI"))) {
                assertThat(url).as("CI must provide PostgreSQL").isNotBlank();
            }
            assumeThat(url)
                    .as("MAILGATE_TEST_POSTGRES_CLUSTER_URL, _INGEST_URL or _URL")
                    .isNotBlank();
            return create(
                    url,
                    System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_USER", "mailgate"),
                    System.getenv().getOrDefault("MAILGATE_TEST_POSTGRES_PASSWORD", ""),
                    prefix);
        }

        private static String firstSet(String... names) {
            for (String name : names) {
                String value = System.getenv(name);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
            return null;
        }

        static Database create(String url, String user, String password, String prefix) throws Exception {
            String schema = prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
            try (Connection db = DriverManager.getConnection(url, user, password);
                    Statement sql = db.createStatement()) {
                sql.execute("CREATE SCHEMA " + schema);
            }
            return new Database(url, user, password, schema);
        }

        String schemaUrl() {
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        }

        Connection connect() throws Exception {
            return DriverManager.getConnection(schemaUrl(), user, password);
        }

        void drop() {
            try (Connection db = DriverManager.getConnection(url, user, password);
                    Statement sql = db.createStatement()) {
                try {
                    sql.execute("SELECT lo_unlink(content) FROM " + schema + ".raw_content");
                } catch (Exception noLargeObjects) {
                    // the schema may not have been migrated
                }
                sql.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (Exception e) {
                System.err.println("Could not drop schema " + schema + ": " + e);
            }
        }
    }

    final String id;
    final int port;
    final Process process;
    final Path console;

    private NodeProcess(String id, int port, Process process, Path console) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.console = console;
    }

    /**
     * Starts a node; {@code zookeeper} null for a single node without a coordinator. Its folder is
     * {@code target/<run>/<id>}, kept after the run for a failed test's diagnosis.
     */
    static NodeProcess start(String run, String id, Database db, String zookeeper, List<String> extra)
            throws IOException {
        Path folder = Files.createDirectories(Path.of("target", run, id).toAbsolutePath());
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // three of these on two cores: small heap, client compiler only, one GC thread
                "-Xmx256m",
                "-Xss512k",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:CICompilerCount=1",
                "-cp",
                System.getProperty("java.class.path"),
                MailgateApplication.class.getName(),
                "--server.port=" + port,
                "--mailgate.admin-password=" + ADMIN_PASSWORD,
                "--spring.datasource.url=" + db.schemaUrl(),
                "--spring.datasource.username=" + db.user(),
                "--spring.datasource.password=" + db.password(),
                "--spring.flyway.default-schema=" + db.schema(),
                "--spring.jmx.unique-names=true",
                "--camel.main.name=mailgate-" + id,
                "--logging.level.root=WARN",
                "--logging.level.io.mailgate.cluster=INFO",
                "--logging.level.io.mailgate.route.ConnectionRouteSync=INFO"));
        if (zookeeper != null) {
            command.add("--mailgate.cluster.node-id=" + id);
            command.add("--mailgate.cluster.zookeeper.connect-string=" + zookeeper);
            command.add("--mailgate.cluster.reconcile-interval=500ms");
        }
        command.addAll(extra);
        Path console = folder.resolve("console.out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(console.toFile()));
        builder.environment().put("MAILGATE_MASTER_KEY", MASTER_KEY);
        return new NodeProcess(id, port, builder.start(), console);
    }

    /** Whether the node answers its API (the admin exists once start-up is complete). */
    boolean up() {
        if (!process.isAlive()) {
            throw new IllegalStateException("node " + id + " exited; see " + console);
        }
        try {
            return get("/api/v1/orgs/default/connections").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGKILL: the JVM ends at once, its ZooKeeper session stays until it expires. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator stops a node. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /**
     * The connection routes started in this JVM now, read from Camel's own route MBeans through Jolokia: what really
     * runs here, not what the coordinator says should.
     */
    Set<String> startedRoutes() throws Exception {
        HttpResponse<String> response = get("/actuator/jolokia/read/org.apache.camel:type=routes,*/State");
        JsonNode value = JSON.readTree(response.body()).get("value");
        Set<String> started = new HashSet<>();
        if (value == null) {
            return started;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> route = it.next();
            if ("Started".equals(route.getValue().path("State").asText())) {
                String name = route.getKey().replaceFirst(".*name=\"?([^\",]+)\"?.*", "$1");
                started.add(name);
            }
        }
        return started;
    }

    HttpResponse<String> get(String path) throws Exception {
        return call("GET", path, null);
    }

    HttpResponse<String> call(String method, String path, String body) throws Exception {
        return ChildMailgate.callAsAdmin(port, ADMIN_PASSWORD, method, path, body);
    }

    /** An IMAP connection polling every second, on GreenMail without TLS. */
    void createImapConnection(String apiName, int imapPort, String address, String password) throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/orgs/default/connections", """
                {"apiName":"%s","name":"Mailbox %s","protocol":"IMAP","polling":{"intervalSeconds":1},
                 "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","password":"%s","encryption":"NONE"}}
                """.formatted(
                        apiName, apiName, imapPort, address, password));
        if (created.statusCode() != 201) {
            throw new IllegalStateException(
                    "connection " + apiName + ": " + created.statusCode() + " " + created.body());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return id;
    }
}

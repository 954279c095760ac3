package io.mailgate.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.MailgateApplication;
import io.mailgate.testing.ChildMailgate;
import io.mailgate.testing.PostgresTestSchema;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    static NodeProcess start(String run, String id, PostgresTestSchema db, String zookeeper, List<String> extra)
            throws IOException {
        Path folder = Files.createDirectories(Path.of("target", run, id).toAbsolutePath());
        int port = ChildMailgate.freePort();
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
                "--spring.jmx.unique-names=true",
                "--camel.main.name=mailgate-" + id,
                "--logging.level.root=WARN",
                "--logging.level.io.mailgate.cluster=INFO",
                "--logging.level.io.mailgate.route.ConnectionRouteSync=INFO"));
        command.addAll(db.applicationArguments());
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

    @Override
    public String toString() {
        return id;
    }
}

package io.mailgate.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.MailgateApplication;
import io.mailgate.component.msgraph.GraphSimulator;
import io.mailgate.oauth.EntraSimulator;
import io.mailgate.testing.BenchmarkExit;
import io.mailgate.testing.ChildMailgate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency from a message arriving in a Microsoft 365 folder to its incident, with change notifications: the real
 * application against the Entra ID and Graph simulators, the connection polling only once an hour, so each message
 * is read because Graph's notification woke the connection (validation handshake, subscription, notification, delta
 * round, download, pipeline, store, mark read). The clock stops when the simulator sees the message marked read,
 * which mailgate does only after the incident is stored. Prints p50/p90/max; asserts nothing.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx256m -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.push.GraphPushBenchmark 50
 * </pre>
 * Arg (optional): samples (50).
 */
public final class GraphPushBenchmark {

    private static final String PASSWORD = "bench-password-graph-push";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphPushBenchmark() {}

    public static void main(String[] args) {
        BenchmarkExit.runThenExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        EntraSimulator entra = new EntraSimulator();
        GraphSimulator graph = new GraphSimulator();
        graph.acceptTokens(token -> entra.scopesOf(token) != null);
        graph.allowHttpNotificationUrls();
        Path work = Files.createTempDirectory("bench-graph-push-");
        int port = ChildMailgate.freePort();
        ConfigurableApplicationContext app = SpringApplication.run(
                MailgateApplication.class,
                "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("db") + ";AUTO_SERVER=FALSE",
                "--mailgate.admin-password=" + PASSWORD,
                "--mailgate.master-key-file=" + work.resolve("master.key"),
                "--mailgate.ingest.spool-directory=" + work.resolve("spool"),
                "--mailgate.log-directory=" + work.resolve("logs"),
                "--mailgate.oauth.public-url=http://localhost:" + port,
                "--mailgate.oauth.authority-override=" + entra.baseUrl(),
                "--mailgate.oauth.graph-override=" + graph.baseUrl(),
                "--mailgate.push.allow-local-url=true",
                "--logging.level.root=WARN");
        try {
            String address = "bench@contoso.example";
            GraphSimulator.Mailbox mailbox = graph.mailbox(address);
            GraphSimulator.Folder inbox = mailbox.wellKnown("inbox");
            call(
                    "POST",
                    "http://127.0.0.1:" + port + "/api/v1/orgs/default/connections",
                    JSON.writeValueAsString(Map.of(
                            "apiName",
                            "bench",
                            "name",
                            "Graph push bench",
                            "protocol",
                            "OAUTH",
                            "oauth",
                            Map.of(
                                    "clientId",
                                    EntraSimulator.CLIENT_ID,
                                    "tenantId",
                                    EntraSimulator.TENANT,
                                    "clientSecret",
                                    EntraSimulator.SECRET,
                                    "emailAddress",
                                    address,
                                    "appOnly",
                                    true),
                            "polling",
                            Map.of("intervalSeconds", 3600, "push", true))));
            String status = "http://127.0.0.1:" + port + "/api/v1/orgs/default/connections/bench/status";
            long deadline = System.currentTimeMillis() + 60_000;
            while (!"PUSH"
                    .equals(JSON.readTree(call("GET", status, null))
                            .path("mode")
                            .asText())) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("no PUSH mode: " + call("GET", status, null));
                }
                Thread.sleep(100);
            }
            // warm-up: the first messages pay for class loading and JIT
            for (int i = 0; i < 5; i++) {
                measure(mailbox, inbox, "warm-up " + i);
            }
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                millis.add(measure(mailbox, inbox, "sample " + i));
                Thread.sleep(50);
            }
            Collections.sort(millis);
            System.out.printf(
                    "Graph push: notification -> incident (marked read after storing), %d samples:"
                            + " p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
                    samples, percentile(millis, 50), percentile(millis, 90), millis.get(millis.size() - 1));
        } finally {
            app.close();
            graph.close();
        }
    }

    private static double measure(GraphSimulator.Mailbox mailbox, GraphSimulator.Folder inbox, String subject)
            throws InterruptedException {
        long start = System.nanoTime();
        GraphSimulator.Message message = mailbox.add(inbox, subject, Instant.now());
        long deadline = start + 30_000_000_000L;
        while (!message.read) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(subject + " not read in 30 s");
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static String call(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(
                request.method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}

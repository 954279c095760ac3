package io.mailgate.cluster;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.testing.PostgresTestSchema;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.curator.test.TestingServer;

/**
 * 1 node vs 3 nodes on the same mailboxes: six GreenMail mailboxes (in this JVM) are filled with the same unseen
 * messages, then mailgate ingests them with one node (no coordinator, as a single mailgate runs) and with three nodes
 * (each a JVM of its own, on an embedded ZooKeeper), each round on a fresh PostgreSQL schema. Timed from creating the
 * connections until every message is stored; prints msgs/s, the messages lost and doubled, the spread, and each
 * node's CPU. Not a test: a program that prints figures.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.cluster.ClusterBenchmark \
 *      jdbc:postgresql://127.0.0.1:5432/mailgate mailgate mailgate 200
 * </pre>
 * Arguments: JDBC URL of a database the user may create schemas in, user, password, messages per mailbox (200).
 */
public final class ClusterBenchmark {

    static final int MAILBOXES = 6;

    private ClusterBenchmark() {}

    record Result(
            int nodes,
            int messages,
            double seconds,
            long lost,
            long doubled,
            Map<String, Integer> spread,
            Map<String, Double> cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/mailgate";
        String user = args.length > 1 ? args[1] : "mailgate";
        String password = args.length > 2 ? args[2] : "mailgate";
        int each = args.length > 3 ? Integer.parseInt(args[3]) : 200;
        List<Result> results = new ArrayList<>();
        try (TestingServer zookeeper = new TestingServer(true)) {
            results.add(round(1, null, url, user, password, each));
            results.add(round(3, zookeeper.getConnectString(), url, user, password, each));
        }
        System.out.printf(
                "%n%-6s %9s %9s %8s %6s %8s  %-28s %s%n",
                "nodes", "messages", "seconds", "msgs/s", "lost", "doubled", "connections per node", "CPU s per node");
        for (Result r : results) {
            System.out.printf(
                    "%-6d %9d %9.1f %8.1f %6d %8d  %-28s %s%n",
                    r.nodes(),
                    r.messages(),
                    r.seconds(),
                    r.messages() / r.seconds(),
                    r.lost(),
                    r.doubled(),
                    r.spread(),
                    r.cpuSeconds());
        }
        System.out.printf(
                "%d cores, load average now %.1f%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Result round(int count, String zookeeper, String url, String user, String password, int each)
            throws Exception {
        String run = "cluster-bench-" + count;
        PostgresTestSchema db = PostgresTestSchema.create(url, user, password, "cluster_bench");
        GreenMail mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            Set<String> delivered = new HashSet<>();
            List<String> apiNames = new ArrayList<>();
            for (int b = 0; b < MAILBOXES; b++) {
                String apiName = "bench" + b;
                apiNames.add(apiName);
                GreenMailUser mailbox =
                        mail.setUser(apiName + "@example.test", apiName + "@example.test", "pw-" + apiName);
                for (int i = 0; i < each; i++) {
                    String messageId = "<" + apiName + "-" + i + "@bench.test>";
                    deliver(mailbox, apiName, messageId, i);
                    delivered.add(messageId);
                }
            }
            // the first node migrates the schema and creates the admin, the others then start side by side
            nodes.add(NodeProcess.start(run, "node-1", db, zookeeper, List.of()));
            awaitUp(nodes);
            for (int n = 2; n <= count; n++) {
                nodes.add(NodeProcess.start(run, "node-" + n, db, zookeeper, List.of()));
            }
            awaitUp(nodes);
            Map<String, Double> cpuBefore = cpu(nodes);
            System.out.printf(
                    "%d node(s) up; ingesting %d messages from %d mailboxes%n", count, delivered.size(), MAILBOXES);

            long start = System.nanoTime();
            for (int b = 0; b < MAILBOXES; b++) {
                nodes.get(b % nodes.size())
                        .createImapConnection(
                                apiNames.get(b),
                                mail.getImap().getPort(),
                                apiNames.get(b) + "@example.test",
                                "pw-" + apiNames.get(b));
            }
            Map<String, Integer> copies = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            Map<String, Integer> spread = new HashMap<>();
            while (System.nanoTime() < deadline) {
                copies = stored(db);
                if (copies.keySet().containsAll(delivered)) {
                    break;
                }
                if (spread.isEmpty()
                        || spread.values().stream().mapToInt(Integer::intValue).sum() < MAILBOXES) {
                    spread = spread(nodes, apiNames);
                }
                Thread.sleep(100); // a program, not a test: polling the database for the end of the round
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> cpu = new HashMap<>(cpu(nodes));
            cpu.replaceAll((node, total) -> Math.round((total - cpuBefore.getOrDefault(node, 0.0)) * 10) / 10.0);
            Map<String, Integer> found = copies;
            long lost = delivered.stream().filter(id -> !found.containsKey(id)).count();
            long doubled = found.values().stream().mapToInt(c -> c - 1).sum();
            System.out.printf(
                    "%d node(s): %d messages in %.1f s = %.1f msgs/s, %d lost, %d doubled, spread %s%n",
                    count, delivered.size(), seconds, delivered.size() / seconds, lost, doubled, spread);
            return new Result(count, delivered.size(), seconds, lost, doubled, spread, cpu);
        } finally {
            for (NodeProcess node : nodes) {
                node.kill();
            }
            mail.stop();
            db.drop();
        }
    }

    private static void awaitUp(List<NodeProcess> nodes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!nodes.stream().allMatch(NodeProcess::up)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nodes did not start: see target/cluster-bench-*/");
            }
            Thread.sleep(250);
        }
    }

    /** Node → the connections whose route is started on it (read from the node's Camel MBeans). */
    private static Map<String, Integer> spread(List<NodeProcess> nodes, List<String> apiNames) throws Exception {
        Map<String, Integer> spread = new HashMap<>();
        for (NodeProcess node : nodes) {
            Set<String> started = node.startedRoutes();
            int running = (int) apiNames.stream()
                    .filter(a -> started.contains("imap-default-" + a))
                    .count();
            if (running > 0) {
                spread.put(node.id, running);
            }
        }
        return spread;
    }

    private static Map<String, Double> cpu(List<NodeProcess> nodes) {
        Map<String, Double> cpu = new HashMap<>();
        for (NodeProcess node : nodes) {
            node.process.info().totalCpuDuration().ifPresent(d -> cpu.put(node.id, d.toMillis() / 1000.0));
        }
        return cpu;
    }

    private static Map<String, Integer> stored(PostgresTestSchema db) throws Exception {
        Map<String, Integer> copies = new HashMap<>();
        try (Connection connection = db.connect();
                Statement sql = connection.createStatement();
                ResultSet rows =
                        sql.executeQuery("SELECT message_id, COUNT(*) FROM email_messages GROUP BY message_id")) {
            while (rows.next()) {
                copies.put(rows.getString(1), rows.getInt(2));
            }
        }
        return copies;
    }

    /** A short report with a link and a few lines, like most of what a phishing mailbox receives. */
    private static void deliver(GreenMailUser mailbox, String apiName, String messageId, int i) throws Exception {
        String raw = "From: Reporter <reporter@example.org>\r\nTo: " + apiName + "@example.test\r\nSubject: Report " + i
                + "\r\nMessage-ID: " + messageId + "\r\nDate: Fri, 27 Nov 2026 10:15:30 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nPlease look at http://bad" + i + ".example/login?u="
                + apiName + "\r\nIt asked for my password.\r\n" + "-- \r\nA careful user\r\n".repeat(20);
        mailbox.deliver(new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
    }
}

package io.mailgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.testing.PostgresTestSchema;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * {@code kill -9} of a node with mail arriving: three mailgate nodes, each in a JVM of its own, on one PostgreSQL
 * schema and an embedded ZooKeeper, read six GreenMail mailboxes while messages keep arriving. Each connection runs on
 * exactly one node (as Camel's own route MBeans in each JVM say), two per node; one node is SIGKILLed; its
 * connections must run on the others within 30 s (ZooKeeper's session timeout, 10 s by default, is most of it), three
 * per node once the survivors have rebalanced, and once the mail stops every delivered message is stored exactly once. Throughout, a
 * message marked \Seen on the server must already be stored. Prints the failover times.
 *
 * <p>PostgreSQL is what a cluster shares: without MAILGATE_TEST_POSTGRES_CLUSTER_URL, _INGEST_URL or _URL the test is
 * skipped (CI provides one); it uses a schema of its own and drops it. Three child JVMs take about three minutes on
 * two busy cores (their start-up most of it), so the test runs in CI ({@code CI=true}) or when asked for with
 * {@code -Dmailgate.test.cluster-failover=true}. The nodes' consoles and logs stay under
 * {@code target/cluster-failover/<node>/}.
 */
class ClusterFailoverTest {

    static final int CONNECTIONS = 6;
    static final String RUN = "cluster-failover";
    static final ObjectMapper JSON = new ObjectMapper();

    record Mailbox(String apiName, GreenMailUser user) {
        String routeId() {
            return "imap-default-" + apiName;
        }
    }

    @Test
    void aKilledNodesConnectionsMoveToTheOthersAndNoMessageIsLostOrDoubled() throws Exception {
        assumeThat(Boolean.getBoolean("mailgate.test.cluster-failover") || "true".equals(System.getenv("CI")))
                .as("a three-minute test: CI=true or -Dmailgate.test.cluster-failover=true")
                .isTrue();
        PostgresTestSchema db = PostgresTestSchema.fromEnvironment("cluster_kill");
        long testStart = System.nanoTime();
        Map<String, NodeProcess> nodes = new LinkedHashMap<>();
        ScheduledExecutorService mailer = Executors.newSingleThreadScheduledExecutor();
        try (TestingServer zookeeper = new TestingServer(true)) {
            GreenMail mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
            mail.start();
            try {
                // the first node migrates the schema and creates the admin; the other two then start side by side
                NodeProcess first = NodeProcess.start(RUN, "node-a", db, zookeeper.getConnectString(), List.of());
                nodes.put(first.id, first);
                await().atMost(Duration.ofSeconds(240))
                        .pollInterval(Duration.ofMillis(250))
                        .until(first::up);
                for (String id : List.of("node-b", "node-c")) {
                    nodes.put(id, NodeProcess.start(RUN, id, db, zookeeper.getConnectString(), List.of()));
                }
                await().atMost(Duration.ofSeconds(240))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> nodes.values().stream().allMatch(NodeProcess::up));
                System.out.printf(
                        "failover: three nodes up after %d s%n", (System.nanoTime() - testStart) / 1_000_000_000);

                List<Mailbox> mailboxes = new ArrayList<>();
                List<NodeProcess> through = List.copyOf(nodes.values());
                for (int i = 0; i < CONNECTIONS; i++) {
                    String apiName = "kill" + i;
                    String address = apiName + "@example.test";
                    mailboxes.add(new Mailbox(apiName, mail.setUser(address, address, "pw-" + apiName)));
                    // created through every node in turn: any node's API reaches the node that runs it
                    through.get(i % through.size())
                            .createImapConnection(apiName, mail.getImap().getPort(), address, "pw-" + apiName);
                }

                // mail keeps arriving: one message every 50 ms, to each mailbox in turn
                Map<String, String> delivered = new ConcurrentHashMap<>(); // message id → mailbox
                AtomicInteger sequence = new AtomicInteger();
                mailer.scheduleAtFixedRate(
                        () -> {
                            int n = sequence.getAndIncrement();
                            Mailbox mailbox = mailboxes.get(n % CONNECTIONS);
                            String messageId = "<" + mailbox.apiName() + "-" + n + "@failover.test>";
                            deliver(mailbox, messageId, n);
                            delivered.put(messageId, mailbox.apiName());
                        },
                        0,
                        50,
                        TimeUnit.MILLISECONDS);

                // each connection on exactly one node, as the nodes' own Camel MBeans say, two per node
                Map<String, List<String>> owners = new TreeMap<>();
                Map<String, List<String>> perNode = new TreeMap<>();
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            owners.clear();
                            owners.putAll(owners(nodes.values(), mailboxes));
                            assertThat(owners.values())
                                    .as("nodes running each connection: %s", owners)
                                    .allMatch(o -> o.size() == 1);
                            perNode.clear();
                            owners.forEach((apiName, o) -> perNode.computeIfAbsent(o.get(0), k -> new ArrayList<>())
                                    .add(apiName));
                            assertThat(perNode.values())
                                    .as("spread evenly over the live nodes: %s", perNode)
                                    .hasSize(3)
                                    .allMatch(held -> held.size() == CONNECTIONS / 3);
                        });
                System.out.printf("failover: connections per node %s%n", perNode);
                // and none started twice a moment later (a second owner would show now)
                assertThat(owners(nodes.values(), mailboxes)).isEqualTo(owners);
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(storedPerConnection(db).keySet())
                                .as("every connection ingests")
                                .hasSize(CONNECTIONS));
                assertSeenOnlyWhenStored(db, mail, mailboxes);

                // SIGKILL one of them
                String victimId = perNode.keySet().iterator().next();
                List<String> moved = perNode.get(victimId);
                NodeProcess victim = nodes.remove(victimId);
                long killed = System.nanoTime();
                victim.kill();
                // counted once the victim is dead: a commit of its own just before the kill is not a failover
                Map<String, Integer> storedAtKill = storedPerConnection(db);
                assertSeenOnlyWhenStored(db, mail, mailboxes);

                // its connections run on the others within 30 s; measure when they run, when a survivor's status
                // names the new node, and when the first new message of a moved connection is stored
                long[] running = {0};
                long[] reported = {0};
                long[] firstStored = {0};
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .untilAsserted(() -> {
                            long now = System.nanoTime();
                            Map<String, List<String>> after = owners(nodes.values(), mailboxes);
                            if (running[0] == 0
                                    && moved.stream().allMatch(c -> after.get(c).size() == 1)) {
                                running[0] = now;
                            }
                            if (reported[0] == 0
                                    && reportedElsewhere(
                                            nodes.values().iterator().next(), moved, victimId)) {
                                reported[0] = now;
                            }
                            if (firstStored[0] == 0) {
                                Map<String, Integer> stored = storedPerConnection(db);
                                if (moved.stream()
                                        .anyMatch(c -> stored.getOrDefault(c, 0) > storedAtKill.getOrDefault(c, 0))) {
                                    firstStored[0] = now;
                                }
                            }
                            assertThat(after.values())
                                    .as("after the kill: %s", after)
                                    .allMatch(o -> o.size() == 1);
                            assertThat(running[0])
                                    .as("moved connections running")
                                    .isPositive();
                            assertThat(reported[0])
                                    .as("status names a live node")
                                    .isPositive();
                            assertThat(firstStored[0])
                                    .as("a moved connection stored a message")
                                    .isPositive();
                        });
                System.out.printf(
                        "failover: killed %s (ran %s); its connections ran on %s after %d ms, a survivor's "
                                + "status named the new node after %d ms, the first message of a moved connection was "
                                + "stored after %d ms (ZooKeeper session timeout 10 s)%n",
                        victimId,
                        moved,
                        owners(nodes.values(), mailboxes),
                        ms(running[0] - killed),
                        ms(reported[0] - killed),
                        ms(firstStored[0] - killed));

                // the survivors even out: three each
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> {
                            Map<String, List<String>> after = owners(nodes.values(), mailboxes);
                            assertThat(after.values())
                                    .as("after the kill: %s", after)
                                    .allMatch(o -> o.size() == 1);
                            assertThat(after.values().stream()
                                            .collect(Collectors.groupingBy(o -> o.get(0), Collectors.counting()))
                                            .values())
                                    .as("even over the survivors: %s", after)
                                    .containsExactly(3L, 3L);
                        });
                System.out.printf(
                        "failover: three connections on each survivor %d ms after the kill%n",
                        ms(System.nanoTime() - killed));

                // a few more seconds of mail on the survivors, then everything delivered must be stored once
                await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
                mailer.shutdown();
                assertThat(mailer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                Set<String> expected = Set.copyOf(delivered.keySet());
                await().atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertSeenOnlyWhenStored(db, mail, mailboxes);
                            assertThat(storedMessageIds(db).keySet()).containsAll(expected);
                        });
                Map<String, Integer> copies = storedMessageIds(db);
                long lost =
                        expected.stream().filter(id -> !copies.containsKey(id)).count();
                long doubled = copies.values().stream().mapToInt(c -> c - 1).sum();
                System.out.printf(
                        "failover: %d messages delivered to %d mailboxes, %d stored, %d lost, %d doubled; "
                                + "whole test %d s%n",
                        expected.size(),
                        CONNECTIONS,
                        copies.size(),
                        lost,
                        doubled,
                        (System.nanoTime() - testStart) / 1_000_000_000);
                assertThat(copies.entrySet())
                        .as("stored more than once")
                        .filteredOn(e -> e.getValue() > 1)
                        .isEmpty();
                assertThat(copies.keySet())
                        .as("stored exactly the delivered messages")
                        .containsExactlyInAnyOrderElementsOf(expected);
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    for (Mailbox mailbox : mailboxes) {
                        assertThat(messages(mail, mailbox))
                                .as(mailbox.apiName())
                                .allMatch(m -> m.getFlags().contains(Flags.Flag.SEEN));
                    }
                });
            } finally {
                mailer.shutdownNow();
                for (NodeProcess node : nodes.values()) {
                    node.kill();
                }
                mail.stop();
            }
        } finally {
            db.drop();
        }
    }

    /** Connection api name → the nodes whose Camel has its route started. */
    static Map<String, List<String>> owners(Iterable<NodeProcess> nodes, List<Mailbox> mailboxes) throws Exception {
        Map<String, List<String>> owners = new TreeMap<>();
        mailboxes.forEach(m -> owners.put(m.apiName(), new ArrayList<>()));
        for (NodeProcess node : nodes) {
            Set<String> started = node.startedRoutes();
            for (Mailbox mailbox : mailboxes) {
                if (started.contains(mailbox.routeId())) {
                    owners.get(mailbox.apiName()).add(node.id);
                }
            }
        }
        return owners;
    }

    /** Whether the node's status of every moved connection names a running node other than the killed one. */
    static boolean reportedElsewhere(NodeProcess node, List<String> moved, String victim) throws Exception {
        for (String apiName : moved) {
            var status = JSON.readTree(node.get("/api/v1/orgs/default/connections/" + apiName + "/status")
                    .body());
            String runningOn = status.path("node").asText(null);
            if (runningOn == null || runningOn.equals("null") || runningOn.equals(victim)) {
                return false;
            }
        }
        return true;
    }

    /** Every message \Seen on the server now must already be in the database: \Seen follows the commit. */
    static void assertSeenOnlyWhenStored(PostgresTestSchema db, GreenMail mail, List<Mailbox> mailboxes)
            throws Exception {
        Set<String> seen = new HashSet<>();
        for (Mailbox mailbox : mailboxes) {
            for (StoredMessage message : messages(mail, mailbox)) {
                if (message.getFlags().contains(Flags.Flag.SEEN)) {
                    seen.add(message.getMimeMessage().getMessageID());
                }
            }
        }
        // read after the flags: whatever was \Seen then must be committed by now
        assertThat(storedMessageIds(db).keySet()).as("\\Seen but not stored").containsAll(seen);
    }

    static List<StoredMessage> messages(GreenMail mail, Mailbox mailbox) throws Exception {
        return mail.getManagers().getImapHostManager().getInbox(mailbox.user()).getMessages();
    }

    static Map<String, Integer> storedPerConnection(PostgresTestSchema db) throws Exception {
        return query(db, "SELECT connection_api_name, COUNT(*) FROM email_messages GROUP BY connection_api_name");
    }

    /** Message-ID → how many times it is stored. */
    static Map<String, Integer> storedMessageIds(PostgresTestSchema db) throws Exception {
        return query(db, "SELECT message_id, COUNT(*) FROM email_messages GROUP BY message_id");
    }

    private static Map<String, Integer> query(PostgresTestSchema db, String sql) throws Exception {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection connection = db.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.put(result.getString(1), result.getInt(2));
            }
        } catch (PSQLException notMigratedYet) {
            if (!"42P01".equals(notMigratedYet.getSQLState())) {
                throw notMigratedYet;
            }
        }
        return rows;
    }

    static void deliver(Mailbox mailbox, String messageId, int n) {
        String raw = "From: reporter@example.org\r\nTo: " + mailbox.apiName() + "@example.test\r\nSubject: Report " + n
                + "\r\nMessage-ID: " + messageId + "\r\nDate: Fri, 27 Nov 2026 10:15:30 +0000\r\n\r\nSee http://bad"
                + n + ".example/" + mailbox.apiName() + "\r\n";
        try {
            mailbox.user()
                    .deliver(new MimeMessage(
                            Session.getInstance(new Properties()),
                            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}

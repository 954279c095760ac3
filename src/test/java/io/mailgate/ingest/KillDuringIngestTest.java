package io.mailgate.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.MailgateApplication;
import io.mailgate.testing.ChildMailgate;
import io.mailgate.testing.PostgresTestSchema;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing doubled across a crash: mailgate runs in a child JVM (its own default settings, its
 * data directory a temporary folder), is killed with SIGKILL while it ingests a few hundred messages from a real
 * IMAP server in this JVM, and is started again on the same data. Every message must then be stored exactly once
 * — in particular every message that was already \Seen on the server when mailgate died. With H2 (the default,
 * file database) and with PostgreSQL when MAILGATE_TEST_POSTGRES_URL is set.
 */
class KillDuringIngestTest {

    private static final int MESSAGES = 300;
    private static final String ADMIN_PASSWORD = "Kill-test-admin-password-1";
    private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GreenMail mail;

    @TempDir
    Path work;

    @BeforeAll
    static void startMailServer() {
        mail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        mail.start();
    }

    @AfterAll
    static void stopMailServer() {
        mail.stop();
    }

    /** The child's database settings, and how this JVM reads the same database afterwards. */
    private record Database(String name, List<String> args, String url, String user, String password) {}

    @Test
    void h2DefaultDatabaseKeepsEveryMessageAcrossAKill() throws Exception {
        // no datasource settings: the child runs on application.yaml's default H2 URL under <work>/data
        killDuringIngestAndRestart(new Database(
                "h2",
                List.of(),
                "jdbc:h2:file:" + work.resolve("data").resolve("mailgate").toAbsolutePath(),
                "sa",
                ""));
    }

    @Test
    void postgresqlKeepsEveryMessageAcrossAKill() throws Exception {
        PostgresTestSchema schema = PostgresTestSchema.fromEnvironment("kill");
        try {
            killDuringIngestAndRestart(new Database(
                    "postgresql", schema.applicationArguments(), schema.schemaUrl(), schema.user(), schema.password()));
        } finally {
            schema.drop();
        }
    }

    private void killDuringIngestAndRestart(Database database) throws Exception {
        String address = "soc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String mailboxPassword = "pw-" + UUID.randomUUID();
        GreenMailUser mailbox = mail.setUser(address, address, mailboxPassword);
        Set<String> delivered = new HashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            String messageId = "<kill-" + i + "-" + UUID.randomUUID() + "@example.org>";
            delivered.add(messageId);
            mailbox.deliver(ChildMailgate.report(messageId, "Report " + i, i));
        }

        int port = ChildMailgate.freePort();
        Process first = start(port, database.args(), database.name() + "-first");
        String seenAtKill;
        Set<String> seenBeforeKill;
        try {
            awaitUp(port, first);
            createConnection(port, address, mailboxPassword);
            // Kill while messages are being marked read: the moment a commit that has not reached the disk yet
            // would lose a message that the server already has as \Seen.
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> seen(mailbox).size() >= 40);
        } finally {
            first.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
            first.waitFor();
        }
        seenBeforeKill = seen(mailbox);
        seenAtKill = seenBeforeKill.size() + " of " + MESSAGES;
        assertThat(seenBeforeKill)
                .as("killed in the middle of ingesting (seen %s)", seenAtKill)
                .hasSizeLessThan(MESSAGES);

        Process second = start(port, database.args(), database.name() + "-second");
        try {
            awaitUp(port, second);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> seen(mailbox).size() == MESSAGES);
            // every message is read at the source only after it is stored: all are in the API now
            try {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> storedMessageIds(port).size() >= MESSAGES);
            } catch (ConditionTimeoutException fewer) {
                // the assertions below say which messages are missing
            }
            List<String> stored = storedMessageIds(port);
            Map<String, Long> copies =
                    stored.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(copies.entrySet())
                    .as("stored more than once")
                    .filteredOn(e -> e.getValue() > 1)
                    .isEmpty();
            assertThat(copies.keySet())
                    .as("\\Seen at the kill (%s) but not stored", seenAtKill)
                    .containsAll(seenBeforeKill);
            assertThat(copies.keySet())
                    .as("stored exactly the delivered messages")
                    .containsExactlyInAnyOrderElementsOf(delivered);

            // SIGTERM while ingesting more: Camel drains first, the database closes after it (no "Database is
            // already closed"), and every message then \Seen is stored.
            for (int i = MESSAGES; i < MESSAGES + 100; i++) {
                mailbox.deliver(ChildMailgate.report(
                        "<term-" + i + "-" + UUID.randomUUID() + "@example.org>", "Report " + i, i));
            }
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> seen(mailbox).size() >= MESSAGES + 10);
            second.destroy();
            assertThat(second.waitFor(90, TimeUnit.SECONDS))
                    .as("mailgate stopped on SIGTERM")
                    .isTrue();
            String console = Files.readString(output(database.name() + "-second"));
            assertThat(console)
                    .doesNotContainIgnoringCase("database is already closed")
                    .doesNotContainIgnoringCase("Database is closed");
            Set<String> seenAtStop = seen(mailbox);
            assertThat(storedInDatabase(database))
                    .as("\\Seen when stopped but not stored")
                    .containsAll(seenAtStop);
        } finally {
            second.destroyForcibly();
            second.waitFor();
        }
    }

    private static Set<String> storedInDatabase(Database database) throws Exception {
        Set<String> ids = new HashSet<>();
        try (Connection db = DriverManager.getConnection(database.url(), database.user(), database.password());
                Statement sql = db.createStatement();
                var rows = sql.executeQuery("SELECT message_id FROM email_messages")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** mailgate from this test's class path, in its own JVM, with the work folder as its working directory. */
    private Process start(int port, List<String> databaseArgs, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                MailgateApplication.class.getName(),
                "--server.port=" + port,
                "--mailgate.admin-password=" + ADMIN_PASSWORD,
                "--logging.level.root=WARN",
                "--logging.level.io.mailgate.ops.DurableCommits=INFO"));
        command.addAll(databaseArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(output(name).toFile()));
        builder.environment().put("MAILGATE_MASTER_KEY", MASTER_KEY);
        return builder.start();
    }

    /** The child's console, kept under target/ for a failed run (the work folder is deleted). */
    private static Path output(String name) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "kill-during-ingest"));
        return folder.resolve(name + ".out");
    }

    private void awaitUp(int port, Process process) {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("mailgate exited; see target/kill-during-ingest")
                            .isTrue();
                    try {
                        // the admin exists once start-up is complete (the web server answers a little earlier)
                        return call(port, "GET", "/connections", null).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static void createConnection(int port, String address, String password) throws Exception {
        HttpResponse<String> created =
                call(port, "POST", "/connections", """
                {"apiName":"kill","name":"Kill test","protocol":"IMAP","polling":{"intervalSeconds":1},
                 "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","password":"%s","encryption":"NONE"}}
                """.formatted(mail.getImap().getPort(), address, password));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static List<String> storedMessageIds(int port) throws Exception {
        List<String> ids = new ArrayList<>();
        String after = "0";
        while (true) {
            HttpResponse<String> page =
                    call(port, "GET", "/email-messages?limit=500&connection=kill&after=" + after, null);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            JsonNode json = JSON.readTree(page.body());
            if (json.get("items").isEmpty()) {
                return ids;
            }
            json.get("items").forEach(item -> ids.add(item.get("messageId").asText()));
            after = json.get("nextCursor").asText();
        }
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return ChildMailgate.callAsAdmin(port, ADMIN_PASSWORD, method, "/api/v1/orgs/default" + path, body);
    }

    private static Set<String> seen(GreenMailUser mailbox) throws Exception {
        return ChildMailgate.seenMessageIds(mail, mailbox);
    }
}

package io.mailgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.testing.ChildMailgate;
import io.mailgate.testing.PostgresTestSchema;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mailgate}, the README's command to run mailgate, on the jar {@code package} has just built, as a user
 * starts it: the first start makes its class data sharing archive (Java 17 to 24) or AOT cache (Java 25 and later) in
 * a training start of its own, then runs mailgate with Spring's build-time bean definitions; mailgate ingests from a
 * real IMAP server (GreenMail) in that mode; a second start on the same data loads its classes from the archive, runs
 * on the parallel collector the launcher chose and stores nothing twice. The launcher runs on the JDK of this test. On
 * H2, and on PostgreSQL when MAILGATE_TEST_POSTGRES_URL is set (CI sets it).
 */
class LauncherIT {

    private static final String ADMIN_PASSWORD = "Launcher-test-admin-password-1";
    private static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    // what application.yaml sets, given as an argument so that the environment can carry a database that must
    // not be reached (see below)
    private static final String H2_URL =
            "jdbc:h2:file:./data/mailgate;AUTO_SERVER=FALSE;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
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

    @Test
    void h2FirstStartTrainsAnArchiveThenMailgateIngestsAndASecondStartLoadsItsClassesFromIt() throws Exception {
        trainIngestRestart("h2", List.of("--spring.datasource.url=" + H2_URL), false);
    }

    /** The database production runs on: Spring's AOT mode was prepared at build time with H2's settings. */
    @Test
    void postgresqlInSpringsAotModeToo() throws Exception {
        PostgresTestSchema schema = PostgresTestSchema.fromEnvironment("launcher");
        try {
            trainIngestRestart("postgresql", schema.applicationArguments(), true);
        } finally {
            schema.drop();
        }
    }

    /**
     * @param prepareFirst prepare the jar with {@code MAILGATE_PREPARE_ONLY=true} first (as an image build or the
     *                     benchmark does), so that the first start finds the archive; otherwise the first start trains
     */
    private void trainIngestRestart(String database, List<String> databaseArgs, boolean prepareFirst) throws Exception {
        Path launch = work.resolve("launch");
        Path run = Files.createDirectories(work.resolve("run"));
        String address = "soc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        String mailboxPassword = "pw-" + UUID.randomUUID();
        GreenMailUser mailbox = mail.setUser(address, address, mailboxPassword);
        Set<String> delivered = new HashSet<>();
        deliver(mailbox, delivered, "first", 30);
        int port = ChildMailgate.freePort();

        if (prepareFirst) {
            Process prepare =
                    start(launch, run, port, "-Xmx384m", database + "-prepare", databaseArgs, "MAILGATE_PREPARE_ONLY");
            try {
                // the training start: minutes on a busy two-core machine
                assertThat(prepare.waitFor(10, TimeUnit.MINUTES))
                        .as("prepared in time")
                        .isTrue();
            } finally {
                stop(prepare); // a launcher that went on to start mailgate is not left running
            }
            assertThat(prepare.exitValue()).isZero();
            assertThat(Files.readString(console(database + "-prepare")))
                    .contains("a training start makes")
                    .contains("prepared " + launch);
            assertThat(archives(launch)).as("archives in %s", launch).hasSize(1);
            try (Stream<Path> files = Files.list(run)) {
                assertThat(files)
                        .as("mailgate itself did not start in the run folder")
                        .isEmpty();
            }
        }
        Process first = start(launch, run, port, "-Xmx384m", database + "-first", databaseArgs);
        try {
            awaitUp(port, first, database + "-first");
            String console = Files.readString(console(database + "-first"));
            if (prepareFirst) {
                assertThat(console).as("prepared: no training now").doesNotContain("a training start makes");
            } else {
                assertThat(console)
                        .as("the launcher's first start of this jar trains an archive")
                        .contains("a training start makes");
            }
            assertThat(console)
                    .doesNotContain("made no archive")
                    .doesNotContain("did not start mailgate")
                    .as("mailgate runs on Spring's build-time bean definitions")
                    .contains("Starting AOT-processed MailgateApplication");
            // The training start ran with nothing of this environment: SPRING_DATASOURCE_URL names a database that
            // does not exist, and a training start that used it would have failed and made no archive.
            assertThat(archives(launch)).as("archives in %s", launch).hasSize(1);

            createConnection(port, address, mailboxPassword);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> seen(mailbox).size() == delivered.size());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> storedMessageIds(port).size() >= delivered.size());
            assertThat(storedMessageIds(port)).containsExactlyInAnyOrderElementsOf(delivered);
        } finally {
            stop(first);
        }

        // The second start: no training, and its classes come from the archive (-Xlog names where each came from).
        Path classLog = work.resolve("classes.log");
        Path gcLog = work.resolve("gc.log");
        Process second = start(
                launch,
                run,
                port,
                "-Xmx384m -Xlog:class+load=info:file=" + classLog + " -Xlog:gc=info:file=" + gcLog,
                database + "-second",
                databaseArgs);
        try {
            awaitUp(port, second, database + "-second");
            assertThat(Files.readString(console(database + "-second"))).doesNotContain("a training start makes");
            long shared;
            try (Stream<String> lines = Files.lines(classLog)) {
                shared = lines.filter(line -> line.contains("source: shared objects file"))
                        .count();
            }
            // the JDK's own archive holds about 1,300 classes; mailgate loads more than 20,000 while starting
            assertThat(shared).as("classes loaded from an archive").isGreaterThan(10_000);
            // JAVA_OPTS chose no collector, so the launcher added the parallel one
            assertThat(Files.readString(gcLog)).as("the collector in %s", gcLog).contains("Using Parallel");

            deliver(mailbox, delivered, "second", 10);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> seen(mailbox).size() == delivered.size());
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> storedMessageIds(port).size() >= delivered.size());
            assertThat(storedMessageIds(port))
                    .as("every message stored once across the restart")
                    .containsExactlyInAnyOrderElementsOf(delivered);
        } finally {
            stop(second);
        }
    }

    /**
     * bin/mailgate in the run folder, on the jar package built and the JDK of this test.
     *
     * @param switches launcher variables set to {@code true}
     */
    private static Process start(
            Path launch,
            Path run,
            int port,
            String javaOpts,
            String name,
            List<String> databaseArgs,
            String... switches)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of("bin", "mailgate").toAbsolutePath().toString(),
                "--server.port=" + port,
                "--mailgate.admin-password=" + ADMIN_PASSWORD,
                "--logging.level.root=WARN",
                "--logging.level.io.mailgate.MailgateApplication=INFO"));
        command.addAll(databaseArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(run.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(console(name).toFile()));
        Map<String, String> env = builder.environment();
        env.put("MAILGATE_JAR", jar().toString());
        env.put("MAILGATE_LAUNCH_DIR", launch.toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS", javaOpts);
        // An option that makes `java -version` print a line that differs from run to run (a timestamp): the
        // archive's key must not change with it, or every start would train a new archive.
        env.put("JAVA_TOOL_OPTIONS", "-Xlog:gc:stdout:uptimenanos");
        env.put("MAILGATE_MASTER_KEY", MASTER_KEY);
        env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:1/not-for-the-training-start");
        env.remove("MAILGATE_SPRING_AOT");
        env.remove("MAILGATE_PREPARE_ONLY");
        for (String variable : switches) {
            env.put(variable, "true");
        }
        return builder.start();
    }

    /** The jar {@code package} built (failsafe runs after it). */
    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("mailgate-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/mailgate-*.jar: run ./mvnw verify"))
                    .toAbsolutePath();
        }
    }

    private static List<Path> archives(Path launch) throws IOException {
        try (Stream<Path> files = Files.list(launch)) {
            return files.filter(
                            f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"))
                    .toList();
        }
    }

    /** The launcher's and mailgate's console, kept under target/ for a failed run (the work folder is deleted). */
    private static Path console(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "launcher-it")).resolve(name + ".out");
    }

    private static void awaitUp(int port, Process process, String name) {
        // the first start includes the training start: minutes on a busy two-core machine
        await().atMost(Duration.ofSeconds(420))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("the launcher exited; see target/launcher-it/%s.out", name)
                            .isTrue();
                    try {
                        return call(port, "GET", "/connections", null).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** SIGTERM, as an operator stops mailgate: the launcher exec'd the JVM, so the signal reaches it. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static void createConnection(int port, String address, String password) throws Exception {
        HttpResponse<String> created =
                call(port, "POST", "/connections", """
                {"apiName":"launcher","name":"Launcher test","protocol":"IMAP","polling":{"intervalSeconds":1},
                 "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","password":"%s","encryption":"NONE"}}
                """.formatted(mail.getImap().getPort(), address, password));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static List<String> storedMessageIds(int port) throws Exception {
        HttpResponse<String> page = call(port, "GET", "/email-messages?limit=500&connection=launcher", null);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(page.body())
                .get("items")
                .forEach(item -> ids.add(item.get("messageId").asText()));
        return ids;
    }

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        return ChildMailgate.callAsAdmin(port, ADMIN_PASSWORD, method, "/api/v1/orgs/default" + path, body);
    }

    private static Set<String> seen(GreenMailUser mailbox) throws Exception {
        return ChildMailgate.seenMessageIds(mail, mailbox);
    }

    private static void deliver(GreenMailUser mailbox, Set<String> delivered, String tag, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String messageId = "<launcher-" + tag + "-" + i + "-" + UUID.randomUUID() + "@example.org>";
            mailbox.deliver(ChildMailgate.report(messageId, "Report " + tag + " " + i, i));
            delivered.add(messageId);
        }
    }
}

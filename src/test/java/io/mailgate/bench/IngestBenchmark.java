package io.mailgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.mailgate.MailgateApplication;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import io.mailgate.testing.BenchmarkExit;
import io.mailgate.testing.ChildMailgate;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures mailgate end to end over real IMAP: latency from a message landing in the mailbox to its
 * incident (1-second poll), throughput ingesting 1,000 small messages, and the peak heap while ingesting
 * one 100 MB message. Prints figures; asserts nothing.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx256m -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.bench.IngestBenchmark
 * </pre>
 * Args (optional): latencySamples (20), smallMessages (1000), bigMessageMb (100); 0 skips that part.
 */
public final class IngestBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final String USER = "soc@bench.test";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String apiKey;

    private IngestBenchmark() {}

    public static void main(String[] args) {
        BenchmarkExit.runThenExit(() -> run(args));
    }

    private static void run(String[] args) throws Exception {
        int latencySamples = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int smallMessages = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int bigMb = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int imapPort = ChildMailgate.freePort();
        int smtpPort = ChildMailgate.freePort();
        Process mailServer = startMailServer(imapPort, smtpPort);
        Path work = Files.createTempDirectory("mailgate-bench");
        int httpPort = ChildMailgate.freePort();
        ConfigurableApplicationContext app = SpringApplication.run(
                MailgateApplication.class,
                "--server.port=" + httpPort,
                "--spring.datasource.url=jdbc:h2:file:" + work.resolve("db") + ";AUTO_SERVER=FALSE",
                "--mailgate.admin-password=" + PASSWORD,
                "--mailgate.master-key-file=" + work.resolve("master.key"),
                "--mailgate.ingest.spool-directory=" + work.resolve("spool"),
                "--mailgate.log-directory=" + work.resolve("logs"),
                "--logging.level.root=WARN");
        try {
            String base = "http://127.0.0.1:" + httpPort + "/api/v1/orgs/default";
            // Like a SOAR, poll with an API key: HTTP Basic costs a bcrypt check per request, which would
            // measure the benchmark's own polling instead of mailgate's ingestion.
            apiKey = JSON.readTree(call("POST", base + "/api-keys", "{\"name\":\"bench\",\"role\":\"ADMIN\"}"))
                    .get("key")
                    .asText();
            call("POST", base + "/connections", """
                    {"apiName":"bench","name":"Benchmark","protocol":"IMAP","polling":{"intervalSeconds":1},
                     "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","password":"%s","encryption":"NONE"}}
                    """.formatted(imapPort, USER, PASSWORD));
            Session smtp = smtpSession(smtpPort);
            System.out.printf(
                    "mailgate benchmark: %d cores, max heap %d MB%n",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);

            // 1. Latency: one message at a time, from SMTP delivery to the message being in the API.
            List<Long> latencies = new ArrayList<>();
            int stored = 0;
            for (int i = 0; i < latencySamples; i++) {
                long start = System.nanoTime();
                send(smtp, "Latency " + i, "probe " + i);
                stored++;
                waitForMessages(base, stored, 60_000);
                latencies.add((System.nanoTime() - start) / 1_000_000);
            }
            Collections.sort(latencies);
            if (!latencies.isEmpty()) {
                System.out.printf(
                        "latency mailbox->incident (1 s poll, %d samples): p50 %d ms, p90 %d ms, max %d ms%n",
                        latencies.size(),
                        latencies.get(latencies.size() / 2),
                        latencies.get((int) (latencies.size() * 0.9)),
                        latencies.get(latencies.size() - 1));
            }

            // 2. Throughput: 1,000 small messages in the mailbox, ingested in one run.
            if (smallMessages > 0) {
                call("PUT", base + "/connections/bench", """
                    {"name":"Benchmark","protocol":"IMAP","enabled":false,"polling":{"intervalSeconds":1},
                     "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","encryption":"NONE"}}
                    """.formatted(imapPort, USER));
                for (int i = 0; i < smallMessages; i++) {
                    send(smtp, "Bulk " + i, "Report http://bad" + (i % 50) + ".example/path " + i);
                }
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                call("PUT", base + "/connections/bench", """
                    {"name":"Benchmark","protocol":"IMAP","enabled":true,"polling":{"intervalSeconds":1},
                     "imap":{"host":"127.0.0.1","port":%d,"emailAddress":"%s","encryption":"NONE"}}
                    """.formatted(imapPort, USER));
                stored += smallMessages;
                waitForMessages(base, stored, 600_000);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "throughput: %d small messages in %.1f s = %.1f messages/s%n",
                        smallMessages, seconds, smallMessages / seconds);
                // CPU of this JVM (mailgate, plus the benchmark's own API polling), not of the mail server's: a
                // figure that says what a message costs mailgate even on a machine busy with other work.
                System.out.printf(
                        "mailgate CPU: %.1f ms per message%n", (processCpuNanos() - cpuStart) / 1e6 / smallMessages);
            }

            // 3. Peak heap while one large message goes through the pipeline: spool, decrypt check, parse with
            //    attachment hashing, storage as a BLOB, then a streamed raw download. GreenMail cannot serve it:
            //    it re-serializes the whole message for every partial FETCH, so the IMAP leg is left out here.
            if (bigMb == 0) {
                return;
            }
            Path big = bigMessage(work, bigMb);
            long connectionId =
                    app.getBean(ConnectionRepository.class).findAll().get(0).getId();
            System.gc();
            long before =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            HeapSampler sampler = new HeapSampler();
            sampler.start();
            long bigStart = System.nanoTime();
            RawEmail raw = app.getBean(RawSpool.class).spool(Files.newInputStream(big), "bench:big");
            Exchange done = app.getBean(ProducerTemplate.class).send("direct:mailgate-pipeline", exchange -> {
                exchange.getIn().setBody(raw);
                exchange.setProperty(ExchangePropertyNames.CONNECTION_ID, connectionId);
            });
            double ingestSeconds = (System.nanoTime() - bigStart) / 1e9;
            Files.deleteIfExists(raw.file());
            if (done.getException() != null) {
                throw done.getException();
            }
            long messageId = JSON.readTree(get(base + "/email-messages?connection=bench&after=" + stored))
                    .get("items")
                    .get(0)
                    .get("id")
                    .asLong();
            HttpResponse<InputStream> download = HTTP.send(
                    request(base + "/email-messages/" + messageId + "/raw")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long downloaded;
            try (InputStream in = download.body()) {
                downloaded = in.transferTo(OutputStream.nullOutputStream());
            }
            System.out.printf(
                    "large message: %.0f MB raw (%d MB attachment) through the pipeline in %.1f s, raw "
                            + "download %.0f MB; heap peak %d MB (after GC before it: %d MB; -Xmx %d MB)%n",
                    Files.size(big) / 1048576.0,
                    bigMb * 3 / 4,
                    ingestSeconds,
                    downloaded / 1048576.0,
                    sampler.finish() >> 20,
                    before >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            app.close();
            mailServer.destroy();
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Process startMailServer(int imapPort, int smtpPort) throws Exception {
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx2g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MailServerMain.class.getName(),
                        Integer.toString(imapPort),
                        Integer.toString(smtpPort),
                        USER,
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.contains("READY")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new IllegalStateException("mail server did not start");
    }

    private static Session smtpSession(int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(port));
        return Session.getInstance(props);
    }

    private static void send(Session smtp, String subject, String body) throws Exception {
        MimeMessage message = new MimeMessage(smtp);
        message.setFrom(new InternetAddress("reporter@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(USER));
        message.setSubject(subject);
        message.setText(body);
        message.setHeader("Message-ID", "<" + UUID.randomUUID() + "@bench>");
        Transport.send(message);
    }

    /** A raw message of about {@code mb} MB: a text part and a random binary attachment in base64. */
    private static Path bigMessage(Path dir, int mb) throws Exception {
        Path file = dir.resolve("big.eml");
        Random random = new Random(1);
        byte[] chunk = new byte[57 * 1024];
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(("From: reporter@example.org\r\nTo: " + USER + "\r\nSubject: Big sample\r\nMessage-ID: <big-"
                            + UUID.randomUUID()
                            + "@bench>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n"
                            + "--b1\r\nContent-Type: text/plain\r\n\r\nlarge sample attached\r\n--b1\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=sample.bin\r\n"
                            + "Content-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long target = (long) mb * 1024 * 1024 * 3 / 4;
            for (long written = 0; written < target; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(Base64.getMimeEncoder().encode(chunk));
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    private static void waitForMessages(String base, int count, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            JsonNode status = JSON.readTree(get(base + "/connections/bench/status"));
            if (status.get("messagesIngested").asLong() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("timed out waiting for " + count + " messages");
    }

    /**
     * The largest total heap in use, sampled every 5 ms. (Summing the pools' own peaks would add an eden peak
     * and an old-generation peak reached at different times.)
     */
    private static final class HeapSampler extends Thread {
        private volatile boolean running = true;
        private long max;

        HeapSampler() {
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                max = Math.max(
                        max,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long finish() throws InterruptedException {
            running = false;
            join();
            return max;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(request(url).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String call(String method, String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                request(url)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .header(
                        "Authorization",
                        apiKey != null
                                ? "Bearer " + apiKey
                                : "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        ("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
}

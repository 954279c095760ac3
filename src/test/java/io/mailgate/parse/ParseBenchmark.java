package io.mailgate.parse;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Parsing throughput over the golden corpus, and the time to quarantine nesting bombs. Not a test:
 * run it by hand on a quiet machine, one thread.
 *
 * <pre>
 * ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.parse.ParseBenchmark [seconds]
 * </pre>
 */
public final class ParseBenchmark {

    private ParseBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        Path dir = Path.of("src/test/resources/emails");
        List<Path> corpus;
        try (Stream<Path> files = Files.list(dir)) {
            corpus = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
        }
        MimeParser parser = new MimeParser(ParseLimits.defaults());
        long bytes = 0;
        for (Path p : corpus) {
            bytes += Files.size(p);
        }

        run(parser, corpus, seconds / 3); // warm-up: JIT
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long messages = run(parser, corpus, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
                "corpus: %d messages, %d bytes; %d parses in %.1f s wall, %.1f s CPU of this thread:"
                        + " %.0f messages/s wall, %.0f messages/s per CPU second, one thread%n",
                corpus.size(), bytes, messages, elapsed, cpu, messages / elapsed, messages / cpu);

        Path tmp = Files.createTempDirectory("parse-benchmark");
        try {
            Path multipartBomb = tmp.resolve("multipart-bomb.eml");
            writeMultipartBomb(multipartBomb, 10_000);
            Path messageBomb = tmp.resolve("message-bomb.eml");
            NestedMessagesTest.writeRfc822Bomb(messageBomb, 10_000);
            bomb(parser, "10,000 nested multiparts", multipartBomb);
            bomb(parser, "10,000 nested message/rfc822", messageBomb);
        } finally {
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(tmp);
        }
    }

    private static long run(MimeParser parser, List<Path> corpus, double seconds) throws MalformedEmailException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < deadline) {
            for (Path p : corpus) {
                parser.parse(p);
                n++;
            }
        }
        return n;
    }

    private static void bomb(MimeParser parser, String name, Path file) throws IOException {
        List<Double> millis = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        String reason = null;
        for (int i = 0; i < 25; i++) {
            long start = System.nanoTime();
            try {
                parser.parse(file);
                reason = "PARSED (not refused!)";
            } catch (MalformedEmailException e) {
                reason = e.reason() + ": " + e.getMessage();
            }
            millis.add((System.nanoTime() - start) / 1e6);
        }
        double cpuEach = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / millis.size();
        double first = millis.get(0);
        double[] sorted =
                millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
                "%s (%d bytes): %s; wall: first %.2f ms, median %.2f ms, max %.2f ms; CPU %.2f ms each%n",
                name,
                Files.size(file),
                reason,
                first,
                sorted[sorted.length / 2],
                Arrays.stream(sorted).max().orElse(0),
                cpuEach);
    }

    private static void writeMultipartBomb(Path file, int levels) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write(
                    "From: a@example.com\r\nSubject: bomb\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"l0\"\r\n\r\n");
            for (int i = 1; i < levels; i++) {
                out.write("--l" + (i - 1) + "\r\nContent-Type: multipart/mixed; boundary=\"l" + i + "\"\r\n\r\n");
            }
            out.write("--l" + (levels - 1) + "\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n");
            for (int i = levels - 1; i >= 0; i--) {
                out.write("--l" + i + "--\r\n");
            }
        }
    }
}

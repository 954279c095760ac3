package io.mailgate.bench;

import io.mailgate.decrypt.DecryptionKeys;
import io.mailgate.decrypt.MessageDecryptor;
import io.mailgate.parse.MimeParser;
import io.mailgate.parse.ParseLimits;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU per message of the pipeline's decrypt and parse stages over a directory of messages (e.g. the corpus
 * bench/run.sh generates in target/bench/corpus-1000-13/new), measured as this thread's CPU time, so the figure
 * barely depends on what else runs on the machine, and the bytes the two stages allocated. Prints figures; asserts
 * nothing.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.bench.CorpusCpuBenchmark \
 *     target/bench/corpus-1000-13/new 4
 * </pre>
 * Args: directory, rounds (the first rounds warm the JIT up).
 */
public final class CorpusCpuBenchmark {

    private CorpusCpuBenchmark() {}

    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        MimeParser parser = new MimeParser(ParseLimits.defaults());
        MessageDecryptor decryptor = new MessageDecryptor(64L * 1024 * 1024);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // HotSpot's bean also counts the bytes a thread allocated: what the parse costs the garbage collector
        com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        Path inner = Files.createTempFile("mailgate-bench-inner", ".eml");
        try {
            for (int round = 0; round < rounds; round++) {
                long decryptNanos = 0;
                long parseNanos = 0;
                long allocatedBefore = allocations.getCurrentThreadAllocatedBytes();
                int rejected = 0;
                for (Path file : files) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    Path parsed = file;
                    try {
                        if (decryptor
                                .process(file, inner, DecryptionKeys.none())
                                .wroteOutput()) {
                            parsed = inner;
                        }
                    } catch (Exception undecryptable) {
                        rejected++;
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    try {
                        parser.parse(parsed);
                    } catch (Exception malformed) {
                        rejected++;
                    }
                    decryptNanos += t1 - t0;
                    parseNanos += threads.getCurrentThreadCpuTime() - t1;
                }
                long allocated = allocations.getCurrentThreadAllocatedBytes() - allocatedBefore;
                System.out.printf(
                        "round %d: %d messages (%d rejected): decrypt %.2f ms/msg, parse %.2f ms/msg CPU,"
                                + " %.0f kB/msg allocated%n",
                        round,
                        files.size(),
                        rejected,
                        decryptNanos / 1e6 / files.size(),
                        parseNanos / 1e6 / files.size(),
                        allocated / 1024.0 / files.size());
            }
        } finally {
            Files.deleteIfExists(inner);
        }
    }
}

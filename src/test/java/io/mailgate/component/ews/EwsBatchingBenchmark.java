package io.mailgate.component.ews;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Messages per second the ews: consumer takes from the EWS simulator (NTLM over TLS), one message per GetItem and
 * UpdateItem (as before batching) against several per request, with no added latency and with a round trip
 * standing for a real server. A program that prints figures, not a test.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.component.ews.EwsBatchingBenchmark 300 20</pre>
 */
public final class EwsBatchingBenchmark {

    private EwsBatchingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 20;
        for (long ms : new long[] {0, latency}) {
            double before = run(messages, ms, "fetchBatchSize=1&markReadBatchSize=1");
            double after = run(messages, ms, "fetchBatchSize=10&markReadBatchSize=50");
            System.out.printf(
                    "EWS  %d messages, %3d ms per round trip: one per request %7.1f msg/s, batched %7.1f msg/s (x%.1f)%n",
                    messages, ms, before, after, after / before);
        }
    }

    static double run(int messages, long latencyMillis, String options) throws Exception {
        Path workDir = Files.createTempDirectory("ews-bench");
        try (EwsSimulator exchange =
                new EwsSimulator(EwsSimulator.Auth.NTLM).user("bench@example.com", "Bench-pass-1")) {
            List<EwsSimulator.Item> items = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                items.add(exchange.message("bench@example.com", "inbox", EwsConsumerTest.mime("bench " + i)));
            }
            exchange.latencyMillis = latencyMillis;
            AtomicInteger received = new AtomicInteger();
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.getRegistry()
                    .bind(
                            "creds",
                            new EwsCredentials("bench@example.com", "Bench-pass-1", EwsCredentials.AuthScheme.NTLM));
            camel.getRegistry().bind("trust", TestTls.get().client);
            String uri = "ews:bench?endpoint=" + exchange.url() + "&mailbox=bench@example.com&credentials=#creds"
                    + "&sslContext=#trust&workDir=" + workDir + "&delay=10&initialDelay=0&maxMessagesPerPoll="
                    + messages
                    + "&" + options;
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).process(e -> {
                        e.getIn().getBody(byte[].class);
                        received.incrementAndGet();
                    });
                }
            });
            long started = System.nanoTime();
            camel.start();
            while (!items.stream().allMatch(i -> i.read)) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            camel.stop();
            if (received.get() != messages) {
                throw new IllegalStateException("received " + received.get() + " of " + messages);
            }
            return messages / seconds;
        }
    }
}

package io.mailgate.component.msgraph;

import io.mailgate.oauth.AccessTokenProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Messages per second the ms-graph-mail: consumer takes from the Graph simulator, one request at a time (as before)
 * against 4 in parallel (Exchange Online's limit per mailbox), with no added latency and with a round trip standing
 * for the real service. A program that prints figures, not a test.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.mailgate.component.msgraph.GraphBatchingBenchmark 300 20</pre>
 */
public final class GraphBatchingBenchmark {

    private GraphBatchingBenchmark() {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int latency = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        for (int ms : new int[] {0, latency}) {
            double before = run(messages, ms, 1);
            double after = run(messages, ms, 4);
            System.out.printf(
                    "Graph %d messages, %3d ms per round trip: one at a time %7.1f msg/s, 4 in parallel %7.1f msg/s (x%.1f)%n",
                    messages, ms, before, after, after / before);
        }
    }

    static double run(int messages, int latencyMillis, int parallel) throws Exception {
        try (GraphSimulator graph = new GraphSimulator()) {
            GraphSimulator.Mailbox me = graph.mailbox("me");
            List<GraphSimulator.Message> items = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                items.add(me.add(
                        me.wellKnown("inbox"),
                        "bench " + i,
                        Instant.parse("2026-11-27T01:00:00Z").plusSeconds(i)));
            }
            graph.server().setGlobalFixedDelay(latencyMillis);
            AtomicInteger received = new AtomicInteger();
            DefaultCamelContext camel = new DefaultCamelContext();
            camel.setStreamCaching(false);
            camel.getRegistry().bind("tokens", (AccessTokenProvider) () -> GraphSimulator.TOKEN);
            String uri = "ms-graph-mail:bench?baseUrl=" + graph.baseUrl()
                    + "&tokenProvider=#tokens&initialDelay=0&delay=10" + "&maxMessagesPerPoll=" + messages
                    + "&pageSize=" + Math.min(messages, 1000) + "&parallelRequests=" + parallel;
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
            while (!items.stream().allMatch(m -> m.read)) {
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

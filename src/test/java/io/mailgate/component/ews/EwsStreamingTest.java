package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mailgate.component.mailbox.PushModeListener;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EWS streaming notifications against the simulator: the endpoint polls once an hour here, so a message read within
 * seconds was read because its NewMailEvent woke the consumer.
 */
class EwsStreamingTest {

    static final String USER = "primary@example.com";
    static final String PASSWORD = "S3cret-Pa55!";

    private EwsSimulator exchange;
    private DefaultCamelContext camel;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> modes = new CopyOnWriteArrayList<>();
    private final PushModeListener listener = new PushModeListener() {
        @Override
        public void mode(boolean push, String reason) {
            modes.add(push ? "PUSH" : "POLL " + reason);
        }

        @Override
        public void forget() {
            modes.add("FORGOTTEN");
        }
    };

    @TempDir
    Path workDir;

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        if (exchange != null) {
            exchange.close();
        }
    }

    private void start(String extra) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("creds", new EwsCredentials(USER, PASSWORD, EwsCredentials.AuthScheme.NTLM));
        camel.getRegistry().bind("trust", TestTls.get().client);
        camel.getRegistry().bind("modes", listener);
        String uri = "ews:streaming?endpoint=" + exchange.url() + "&mailbox=" + USER + "&credentials=#creds"
                + "&sslContext=#trust&workDir=" + workDir + "&delay=3600000&initialDelay=0&pushModes=#modes" + extra;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId("streaming")
                        .process(e -> received.add(e.getIn().getHeader(EwsConstants.ITEM_ID, String.class)));
            }
        });
        camel.start();
    }

    private EwsSimulator.Item add(String subject) {
        byte[] bytes = EwsConsumerTest.mime(subject).getBytes(StandardCharsets.UTF_8);
        return exchange.message(USER, "inbox", () -> new ByteArrayInputStream(bytes), false);
    }

    private long log(String prefix) {
        return exchange.streamLog.stream().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void aNewMailEventIsReadAtOnceAndTheStreamIsOpenedAgainWhenExchangeClosesIt() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(USER, PASSWORD);
        exchange.streamLifetimeMillis = 1_000; // stands for the ConnectionTimeout minutes
        exchange.keepAliveMillis = 200;
        start("&streaming=true&streamingConnectionTimeout=29");

        await().atMost(Duration.ofSeconds(10)).until(() -> modes.contains("PUSH"));
        assertThat(exchange.streamLog).anyMatch(l -> l.startsWith("OPEN ") && l.endsWith(" 29"));

        EwsSimulator.Item item = add("streamed");
        await().atMost(Duration.ofSeconds(5)).until(() -> item.read);
        assertThat(received).containsExactly(item.id);

        // Exchange closes each stream after its minutes; it is opened again on the same subscription
        await().atMost(Duration.ofSeconds(10)).until(() -> log("CLOSED ") >= 2 && log("OPEN ") >= 3);
        assertThat(log("SUBSCRIBE ")).isEqualTo(1);
        EwsSimulator.Item later = add("after reopening");
        await().atMost(Duration.ofSeconds(5)).until(() -> later.read);

        camel.stop();
        assertThat(modes).endsWith("FORGOTTEN");
        assertThat(log("UNSUBSCRIBE ")).isEqualTo(1);
        assertThat(exchange.subscriptions).isEmpty();
    }

    @Test
    void aSubscriptionExchangeForgotIsMadeAgain() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(USER, PASSWORD);
        start("&streaming=true");
        await().atMost(Duration.ofSeconds(10)).until(() -> modes.contains("PUSH"));

        exchange.forgetSubscriptions(); // the open stream ends; the next GetStreamingEvents gets
        // ErrorSubscriptionNotFound
        await().atMost(Duration.ofSeconds(10))
                .until(() -> log("SUBSCRIBE ") == 2 && exchange.subscriptions.size() == 1);
        assertThat(exchange.streamLog).anyMatch(l -> l.startsWith("NOT_FOUND "));
        EwsSimulator.Item item = add("after resubscribing");
        await().atMost(Duration.ofSeconds(5)).until(() -> item.read);
    }

    @Test
    void whenExchangeRefusesTheSubscriptionTheEndpointPollsSaysWhyAndTriesAgain() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(USER, PASSWORD);
        exchange.throttle(USER, "Subscribe", new EwsSimulator.Refused("ErrorInvalidSubscriptionRequest"));
        EwsSimulator.Item polled = add("polled");
        start("&streaming=true&streamingRetryDelay=300");

        await().atMost(Duration.ofSeconds(10)).until(() -> polled.read);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> modes.stream().anyMatch(m -> m.startsWith("POLL no streaming")));
        assertThat(modes)
                .anyMatch(m -> m.contains("ErrorInvalidSubscriptionRequest") && m.contains("polling every 3600 s"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> modes.get(modes.size() - 1).equals("PUSH"));
    }

    @Test
    void withStreamingOffTheEndpointPollsAndSaysSo() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(USER, PASSWORD);
        EwsSimulator.Item polled = add("polled");
        start("");
        await().atMost(Duration.ofSeconds(10)).until(() -> polled.read);
        assertThat(modes).containsExactly("POLL push is off");
        assertThat(exchange.streamLog).isEmpty();
    }

    /** Prints notification → read (stored) latency over the simulator; not an assertion beyond finishing. */
    @Test
    void latencyFromNewMailToReadIsPrinted() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(USER, PASSWORD);
        start("&streaming=true");
        await().atMost(Duration.ofSeconds(10)).until(() -> modes.contains("PUSH"));
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            EwsSimulator.Item item = add("latency " + i);
            await().pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> item.read);
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf(
                "EWS streaming: new mail -> read after the route, 20 samples: p50 %.0f ms, p90 %.0f ms%n",
                millis.get(9), millis.get(17));
        assertThat(millis.get(9)).isLessThan(2000.0);
    }
}

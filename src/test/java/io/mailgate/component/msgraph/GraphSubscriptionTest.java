package io.mailgate.component.msgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The component's subscription upkeep against the simulator, with a small notification receiver standing in for
 * mailgate's endpoint: created at start, renewed well before it ends, deleted at stop, tried again after a failed
 * validation while the endpoint polls and says why.
 */
class GraphSubscriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final GraphSimulator graph = new GraphSimulator();
    private final Receiver receiver = new Receiver();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private CamelContext context;

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
        receiver.server.stop(0);
        graph.close();
    }

    /** What mailgate's controller and registry do, in short: the handshake, then clientState-checked wakes. */
    static final class Receiver implements GraphPushChannel {
        final HttpServer server;
        final Map<String, String> states = new ConcurrentHashMap<>();
        final Map<String, GraphPushListener> listeners = new ConcurrentHashMap<>();
        final List<String> modes = new CopyOnWriteArrayList<>();

        Receiver() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange exchange) throws IOException {
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("validationToken=")) {
                byte[] token = URLDecoder.decode(query.substring(16), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, token.length);
                exchange.getResponseBody().write(token);
                exchange.close();
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            for (JsonNode item : body.path("value")) {
                String id = item.path("subscriptionId").asText();
                if (item.path("clientState").asText().equals(states.get(id))) {
                    if (item.has("lifecycleEvent")) {
                        listeners.get(id).lifecycle(item.path("lifecycleEvent").asText());
                    } else {
                        listeners.get(id).changed();
                    }
                }
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public String notificationUrl() {
            return base() + "/notifications";
        }

        @Override
        public String lifecycleNotificationUrl() {
            return base() + "/lifecycle";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public void register(String subscriptionId, String clientState, GraphPushListener listener) {
            states.put(subscriptionId, clientState);
            listeners.put(subscriptionId, listener);
        }

        @Override
        public void unregister(String subscriptionId) {
            states.remove(subscriptionId);
            listeners.remove(subscriptionId);
        }

        @Override
        public void mode(boolean push, String reason) {
            modes.add(push ? "PUSH" : "POLL " + reason);
        }

        @Override
        public void forget() {
            modes.add("FORGOTTEN");
        }
    }

    private void start(String options) throws Exception {
        graph.allowHttpNotificationUrls();
        context = new DefaultCamelContext();
        context.getRegistry().bind("tokens", (GraphTokenProvider) () -> GraphSimulator.TOKEN);
        context.getRegistry().bind("channel", receiver);
        // one poll at the start, the next in an hour: anything read later was read because of a notification
        String uri = "ms-graph-mail:push?baseUrl=" + graph.baseUrl() + "&tokenProvider=#tokens&pushChannel=#channel"
                + "&initialDelay=0&delay=3600000" + options;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri)
                        .routeId("push-test")
                        .process(e -> received.add(e.getIn().getHeader(MsGraphMailConstants.MESSAGE_ID, String.class)));
            }
        });
        context.start();
    }

    private long count(String prefix) {
        return graph.subscriptionLog().stream()
                .filter(l -> l.startsWith(prefix))
                .count();
    }

    @Test
    void theSubscriptionIsRenewedBeforeItEndsWakesTheConsumerAndIsDeletedAtStop() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        graph.grantSubscriptionsFor(Duration.ofSeconds(3)); // Graph grants less than asked: renewal at half of it
        start("");

        await().atMost(Duration.ofSeconds(10)).until(() -> count("POST ") == 1);
        GraphSimulator.Subscription subscription =
                graph.subscriptions().values().iterator().next();
        assertThat(subscription.notificationUrl).isEqualTo(receiver.notificationUrl());
        assertThat(subscription.lifecycleNotificationUrl).isEqualTo(receiver.lifecycleNotificationUrl());
        assertThat(receiver.modes).contains("PUSH");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("PATCH " + subscription.id) >= 3);
        assertThat(subscription.expiration).as("renewed before it ended").isAfter(Instant.now());
        assertThat(count("POST ")).isEqualTo(1);

        GraphSimulator.Message arrived = me.add(inbox, "arrived", Instant.now());
        await().atMost(Duration.ofSeconds(5)).until(() -> arrived.read);
        assertThat(received).containsExactly(arrived.id);

        context.stop();
        assertThat(graph.subscriptionLog()).contains("DELETE " + subscription.id);
        assertThat(graph.subscriptions()).isEmpty();
        assertThat(receiver.modes).endsWith("FORGOTTEN");
    }

    @Test
    void aFailedValidationLeavesTheConsumerPollingWithAReasonAndIsTriedAgain() throws Exception {
        graph.mailbox("me");
        graph.subscriberUnreachable(true);
        start("&subscriptionRetryDelay=300");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> receiver.modes.stream().anyMatch(m -> m.contains("validation")));
        assertThat(receiver.modes)
                .anyMatch(m -> m.startsWith("POLL no change notifications:")
                        && m.contains("Subscription validation request failed")
                        && m.contains("polling every 3600 s"));
        assertThat(graph.subscriptions()).isEmpty();

        graph.subscriberUnreachable(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> graph.subscriptions().size() == 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> receiver.modes.get(receiver.modes.size() - 1).equals("PUSH"));
    }

    @Test
    void onceWokenARoundLargerThanOnePollIsReadToTheEndWithoutWaitingForTheNextPoll() throws Exception {
        GraphSimulator.Mailbox me = graph.mailbox("me");
        GraphSimulator.Folder inbox = me.wellKnown("inbox");
        start("&maxMessagesPerPoll=2");
        await().atMost(Duration.ofSeconds(10)).until(() -> graph.subscriptions().size() == 1);
        String id = graph.subscriptions().keySet().iterator().next();

        graph.holdNotifications(); // five arrive unnoticed; one lifecycle "missed" wakes the consumer
        List<GraphSimulator.Message> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(me.add(inbox, "burst " + i, Instant.now().plusMillis(i)));
        }
        assertThat(graph.sendLifecycle(id, "missed")).isEqualTo(202);

        await().atMost(Duration.ofSeconds(10)).until(() -> burst.stream().allMatch(m -> m.read));
        assertThat(received)
                .containsExactlyElementsOf(burst.stream().map(m -> m.id).toList());
    }

    @Test
    void subscriptionsAskForAtMost4230Minutes() throws Exception {
        graph.mailbox("me");
        start("&subscriptionLifetimeMinutes=4230");
        await().atMost(Duration.ofSeconds(10)).until(() -> graph.subscriptions().size() == 1);
        Instant end = graph.subscriptions().values().iterator().next().expiration;
        assertThat(end)
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(4229)),
                        Instant.now().plus(Duration.ofMinutes(4230)));
        assertThat(graph.subscriptionLog()).noneMatch(l -> l.startsWith("REFUSED"));
    }
}

package io.mailgate.component.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.ExceptionHandler;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract both mail consumers share, on an in-memory mailbox: marked read only after the exchange completed,
 * left untouched when it failed, a refused mark-read tried again at the next poll without delivering the message
 * again, and a mailbox that refuses every mark-read fails the poll with its reason.
 */
class MailboxConsumerTest {

    @TempDir
    Path spool;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Mailbox mailbox = new Mailbox();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<Exception> pollFailures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        camel.stop();
    }

    /** Unread messages by id, with what the test makes the mailbox do. */
    final class Mailbox {
        final Map<String, Boolean> unread = new ConcurrentHashMap<>();
        final AtomicInteger refuseMarks = new AtomicInteger();
        final AtomicInteger markRequests = new AtomicInteger();
        final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

        void add(String... ids) {
            for (String id : ids) {
                unread.put(id, true);
            }
        }

        boolean read(String id) {
            return !unread.getOrDefault(id, true);
        }
    }

    private final class TestConsumer extends MailboxConsumer<String> {
        TestConsumer(TestEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected String name() {
            return "test";
        }

        @Override
        protected Instant pausedUntil() {
            return null;
        }

        @Override
        protected List<String> listNew(int limit) {
            return mailbox.unread.entrySet().stream()
                    .filter(Map.Entry::getValue)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .limit(limit)
                    .toList();
        }

        @Override
        protected List<String> nextGroup(Deque<String> queue) {
            List<String> group = new ArrayList<>();
            while (!queue.isEmpty() && group.size() < 2) {
                group.add(queue.poll());
            }
            return group;
        }

        @Override
        protected List<Fetched<String>> fetch(List<String> group, Path directory) throws IOException {
            List<Fetched<String>> fetched = new ArrayList<>();
            for (String id : group) {
                mailbox.fetches.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Path file = Files.createTempFile(directory, "test-", ".eml");
                Files.writeString(file, "Subject: " + id + "\r\n\r\nbody");
                fetched.add(Fetched.file(id, file));
            }
            return fetched;
        }

        @Override
        protected MarkReadResult<String> markRead(List<String> messages) {
            mailbox.markRequests.incrementAndGet();
            if (mailbox.refuseMarks.get() != 0) {
                mailbox.refuseMarks.decrementAndGet();
                return new MarkReadResult<>(List.copyOf(messages), new IllegalStateException("ErrorAccessDenied"));
            }
            messages.forEach(id -> mailbox.unread.put(id, false));
            return MarkReadResult.done();
        }

        @Override
        protected String id(String message) {
            return message;
        }

        @Override
        protected void setHeaders(Exchange exchange, String message) {
            exchange.getIn().setHeader("TestId", message);
        }

        @Override
        protected Path spoolDirectory() {
            return spool;
        }

        @Override
        protected int markReadBatchSize() {
            return 10;
        }
    }

    private final class TestEndpoint extends ScheduledPollEndpoint {
        TestEndpoint(String uri, DefaultComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Consumer createConsumer(Processor processor) throws Exception {
            TestConsumer consumer = new TestConsumer(this, processor);
            configureConsumer(consumer);
            // after configureConsumer, which installs the endpoint's own; a failed poll ends up here
            consumer.setExceptionHandler(new ExceptionHandler() {
                @Override
                public void handleException(Throwable exception) {
                    handleException(null, null, exception);
                }

                @Override
                public void handleException(String message, Throwable exception) {
                    handleException(message, null, exception);
                }

                @Override
                public void handleException(String message, Exchange exchange, Throwable exception) {
                    if (exchange == null && exception instanceof Exception e) {
                        pollFailures.add(e);
                    }
                }
            });
            return consumer;
        }
    }

    private void start(Processor route) throws Exception {
        camel.addComponent("mailbox", new DefaultComponent() {
            @Override
            protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters)
                    throws Exception {
                TestEndpoint endpoint = new TestEndpoint(uri, this);
                setProperties(endpoint, parameters);
                return endpoint;
            }
        });
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("mailbox:test?delay=50&initialDelay=0").process(route);
            }
        });
        camel.start();
    }

    private Processor storing() {
        return exchange -> {
            try (InputStream in = exchange.getIn().getBody(InputStream.class)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .contains("body");
            }
            delivered.add(exchange.getIn().getHeader("TestId", String.class));
        };
    }

    @Test
    void aCompletedMessageIsMarkedReadAndAFailedOneIsLeftUntouchedAndComesAgain() throws Exception {
        mailbox.add("a-good", "b-poison");
        start(exchange -> {
            storing().process(exchange);
            if (exchange.getIn().getHeader("TestId").equals("b-poison")) {
                throw new IllegalStateException("pipeline failed");
            }
        });

        await().atMost(Duration.ofSeconds(10))
                .until(() -> mailbox.fetches
                                .getOrDefault("b-poison", new AtomicInteger())
                                .get()
                        >= 3);
        assertThat(mailbox.read("a-good")).isTrue();
        assertThat(mailbox.read("b-poison")).isFalse();
        assertThat(delivered).filteredOn("a-good"::equals).hasSize(1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(spoolFiles()).isEmpty());
    }

    @Test
    void aRefusedMarkReadIsTriedAgainAtTheNextPollAndTheMessageIsNotDeliveredAgain() throws Exception {
        mailbox.add("once");
        mailbox.refuseMarks.set(2);
        start(storing());

        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.read("once"));
        assertThat(delivered).containsExactly("once");
        assertThat(mailbox.fetches.get("once").get()).isEqualTo(1);
        assertThat(mailbox.markRequests.get()).isEqualTo(3);
    }

    @Test
    void aMailboxThatRefusesEveryMarkReadFailsThePollWithItsReasonAndDeliversNothingTwice() throws Exception {
        mailbox.add("stuck");
        mailbox.refuseMarks.set(-1); // always
        start(storing());

        await().atMost(Duration.ofSeconds(10)).until(() -> pollFailures.size() >= 2);
        assertThat(pollFailures).allSatisfy(e -> assertThat(e).hasMessage("ErrorAccessDenied"));
        assertThat(delivered).containsExactly("stuck");
        assertThat(mailbox.read("stuck")).isFalse();
    }

    private List<Path> spoolFiles() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }
}

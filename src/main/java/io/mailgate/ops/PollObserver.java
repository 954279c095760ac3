package io.mailgate.ops;

import io.mailgate.component.msgraph.GraphThrottledException;
import io.mailgate.connection.ConnectionStates;
import io.mailgate.ingest.ConnectionRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Observes every poll of every mailbox route: the poll strategy {@code mailgatePollStrategy} that the source
 * templates name is wrapped, so each poll is timed, counted and written to the email log after the connection's
 * state has been updated. The wrapped strategy decides everything, as before.
 */
@Component
class PollObserver implements BeanPostProcessor {

    static final String POLL_STRATEGY = "mailgatePollStrategy";
    static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private final ObjectProvider<ConnectionMetrics> metrics;
    private final ObjectProvider<ConnectionStates> states;
    private final ObjectProvider<ConnectionDirectory> directory;

    PollObserver(
            ObjectProvider<ConnectionMetrics> metrics,
            ObjectProvider<ConnectionStates> states,
            ObjectProvider<ConnectionDirectory> directory) {
        this.metrics = metrics;
        this.states = states;
        this.directory = directory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (POLL_STRATEGY.equals(beanName) && bean instanceof PollingConsumerPollStrategy strategy) {
            return new Observed(strategy);
        }
        return bean;
    }

    private final class Observed implements PollingConsumerPollStrategy {

        private final PollingConsumerPollStrategy delegate;
        private final Map<Consumer, Long> started = new ConcurrentHashMap<>();

        Observed(PollingConsumerPollStrategy delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean begin(Consumer consumer, Endpoint endpoint) {
            boolean begin = delegate.begin(consumer, endpoint);
            if (begin) {
                started.put(consumer, System.nanoTime());
            }
            return begin; // false: skipped (waiting after a refused password), nothing to observe
        }

        @Override
        public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
            delegate.commit(consumer, endpoint, polledMessages);
            Duration took = took(consumer);
            ConnectionRef connection = connectionOf(consumer);
            if (connection == null) {
                return;
            }
            ConnectionMetrics m = metrics.getObject();
            ConnectionStates.Snapshot state = stateOf(connection);
            int failed = state == null ? 0 : state.lastPollFailures();
            if (failed == 0) {
                m.polled(connection, polledMessages, took, true);
                emailLog.info(
                        "connection={} route={} poll=OK messages={} durationMs={}",
                        connection.name(),
                        connection.routeId(),
                        polledMessages,
                        took.toMillis());
                return;
            }
            // Messages failed inside the poll: it is not OK, though the poll itself worked. FAILED when none got
            // through (the mailbox is stuck), PARTIAL when others did.
            m.polled(connection, polledMessages, took, false);
            m.failed(connection, "poll", state.lastErrorCode());
            emailLog.warn(
                    "connection={} route={} poll={} code={} messages={} failed={} durationMs={} error={}",
                    connection.name(),
                    connection.routeId(),
                    state.failing() ? "FAILED" : "PARTIAL",
                    state.lastErrorCode(),
                    polledMessages,
                    failed,
                    took.toMillis(),
                    state.lastError());
        }

        private ConnectionStates.Snapshot stateOf(ConnectionRef connection) {
            return directory
                    .getObject()
                    .idOf(connection.routeId())
                    .map(id -> states.getObject().snapshot(id))
                    .orElse(null);
        }

        @Override
        public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause)
                throws Exception {
            boolean retry = delegate.rollback(consumer, endpoint, retryCounter, cause);
            Duration took = took(consumer);
            ConnectionRef connection = connectionOf(consumer);
            if (connection != null) {
                ConnectionStates.Snapshot state = stateOf(connection);
                String code = state == null || state.lastErrorCode() == null ? "ERROR" : state.lastErrorCode();
                ConnectionMetrics m = metrics.getObject();
                m.polled(connection, 0, took, false);
                m.failed(connection, "poll", code);
                if (throttled(cause)) {
                    m.throttled(connection);
                }
                emailLog.warn(
                        "connection={} route={} poll=FAILED code={} durationMs={} error={}",
                        connection.name(),
                        connection.routeId(),
                        code,
                        took.toMillis(),
                        state == null ? "" : state.lastError());
            }
            return retry;
        }

        private Duration took(Consumer consumer) {
            Long start = started.remove(consumer);
            return start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
        }

        private ConnectionRef connectionOf(Consumer consumer) {
            return consumer instanceof RouteIdAware aware ? ConnectionRef.ofRoute(aware.getRouteId()) : null;
        }
    }

    /** Graph (429/503/504) and EWS (ErrorServerBusy) throttling, recognised in the cause chain. */
    static boolean throttled(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof GraphThrottledException) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("ErrorServerBusy")) {
                return true;
            }
        }
        return false;
    }
}

package io.mailgate.connection;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.springframework.stereotype.Component;

/** Reports every poll of a mailbox route to {@link ConnectionStates}; failures back off through the consumer. */
@Component("mailgatePollStrategy")
class StatePollStrategy implements PollingConsumerPollStrategy {

    private final ConnectionStates states;

    StatePollStrategy(ConnectionStates states) {
        this.states = states;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        states.pollSucceeded(routeId(consumer));
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        FailureCodes.Failure failure = FailureCodes.classify(cause);
        states.pollFailed(routeId(consumer), failure.code(), failure.message());
        // No immediate retry: the next scheduled poll tries again, and the consumer backs off after repeats.
        return false;
    }

    private static String routeId(Consumer consumer) {
        return consumer instanceof RouteIdAware aware ? aware.getRouteId() : "";
    }
}

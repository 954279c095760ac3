package io.mailgate.route;

import io.mailgate.connection.ConnectionStates;
import io.mailgate.connection.FailureCodes;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.apache.camel.spi.RouteIdAware;
import org.springframework.stereotype.Component;

/**
 * Reports every poll of a mailbox route to {@link ConnectionStates}, with what became of its messages
 * ({@link PollMessageTally}); failures back off through the consumer. After a refused password it also skips
 * polls: longer after each refusal, and for good once the connection is paused for it.
 */
@Component("mailgatePollStrategy")
class StatePollStrategy implements PollingConsumerPollStrategy {

    private final ConnectionStates states;
    private final PollMessageTally tally;

    StatePollStrategy(ConnectionStates states, PollMessageTally tally) {
        this.states = states;
        this.tally = tally;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        String routeId = routeId(consumer);
        if (!states.mayPoll(routeId)) {
            return false; // the consumer skips this poll; no sign-in is attempted
        }
        tally.begin(routeId);
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        String routeId = routeId(consumer);
        PollMessageTally.Tally messages = tally.end(routeId);
        if (messages.failed() == 0) {
            states.pollEnded(routeId, messages.progressed(), 0, null, null);
        } else {
            FailureCodes.Failure failure = FailureCodes.classifyMessageFailure(messages.lastFailure());
            states.pollEnded(routeId, messages.progressed(), messages.failed(), failure.code(), failure.message());
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        tally.end(routeId(consumer));
        FailureCodes.Failure failure = FailureCodes.classify(cause);
        states.pollFailed(routeId(consumer), failure.code(), failure.message());
        // No immediate retry: the next scheduled poll tries again, and the consumer backs off after repeats.
        return false;
    }

    private static String routeId(Consumer consumer) {
        return consumer instanceof RouteIdAware aware ? aware.getRouteId() : "";
    }
}

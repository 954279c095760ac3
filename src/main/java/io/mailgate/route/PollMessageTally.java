package io.mailgate.route;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Counts, per mailbox route, the messages of the current poll that got through (stored, duplicate or quarantined)
 * and those that failed. A source component handles an exception of one message itself (it leaves the message
 * unread and goes on with the next), so the poll strategy never sees it; the exchange's end does, whatever the
 * source (camel-mail, EWS, Graph, or any batch consumer that sends one exchange per message). The pipeline runs in
 * the polling thread (direct:), so a message's exchange ends between the poll's begin and commit.
 */
@Component
class PollMessageTally extends ExchangeEndNotifier {

    /** What one poll's messages came to; {@code lastFailure} is the exception of the last failed one. */
    record Tally(int progressed, int failed, Exception lastFailure) {
        static final Tally NONE = new Tally(0, 0, null);
    }

    private final Map<String, Tally> byRoute = new ConcurrentHashMap<>();

    @Override
    protected void ended(Exchange exchange) {
        String routeId = exchange.getFromRouteId();
        if (routeId == null || !byRoute.containsKey(routeId)) {
            return; // not a mailbox route in a poll
        }
        Exception failure = exchange.getException();
        byRoute.computeIfPresent(
                routeId,
                (id, t) -> failure == null
                        ? new Tally(t.progressed() + 1, t.failed(), t.lastFailure())
                        : new Tally(t.progressed(), t.failed() + 1, failure));
    }

    void begin(String routeId) {
        byRoute.put(routeId, Tally.NONE);
    }

    Tally end(String routeId) {
        Tally tally = byRoute.remove(routeId);
        return tally == null ? Tally.NONE : tally;
    }
}

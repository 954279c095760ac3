package io.mailgate.component.msgraph;

import java.time.Instant;

/** Graph throttled the mailbox (429, 503, 504); no request goes to it before {@link #retryAt()}. */
public class GraphThrottledException extends GraphException {

    private final Instant retryAt;

    GraphThrottledException(int status, Instant retryAt) {
        super(
                status,
                "throttled",
                "Graph throttled the mailbox (HTTP " + status + "); next request at " + retryAt,
                null);
        this.retryAt = retryAt;
    }

    public Instant retryAt() {
        return retryAt;
    }
}

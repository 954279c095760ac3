package io.mailgate.component.msgraph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * Graph's limits are per mailbox (at most 4 concurrent requests per app and mailbox), so each
 * mailbox has its own gate: the other mailboxes carry on while one is throttled.
 */
final class MailboxThrottle {

    static final int MAX_CONCURRENT_REQUESTS = 4;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Semaphore permits;
    private final Clock clock;
    private Instant throttledUntil = Instant.MIN;
    private int consecutiveThrottles;

    MailboxThrottle(int maxConcurrentRequests, Clock clock) {
        this.permits = new Semaphore(maxConcurrentRequests, true);
        this.clock = clock;
    }

    MailboxThrottle() {
        this(MAX_CONCURRENT_REQUESTS, Clock.systemUTC());
    }

    void acquire() throws InterruptedException {
        permits.acquire();
    }

    void release() {
        permits.release();
    }

    /** When the mailbox may be asked again, or null when it is not throttled. */
    synchronized Instant throttledUntil() {
        return clock.instant().isBefore(throttledUntil) ? throttledUntil : null;
    }

    /**
     * Records a throttling answer: wait as long as Retry-After says, else back off exponentially
     * (2 s, 4 s, 8 s … at most 10 minutes) while throttling goes on.
     */
    synchronized Instant throttled(Duration retryAfter) {
        consecutiveThrottles++;
        Duration wait = retryAfter;
        if (wait == null) {
            int doublings = Math.min(consecutiveThrottles - 1, 20);
            wait = FIRST_BACKOFF.multipliedBy(1L << doublings);
            if (wait.compareTo(MAX_BACKOFF) > 0) {
                wait = MAX_BACKOFF;
            }
        }
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(throttledUntil)) {
            throttledUntil = until;
        }
        return throttledUntil;
    }

    synchronized void succeeded() {
        consecutiveThrottles = 0;
    }
}

package io.mailgate.connection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a mailbox that refuses the password is tried again. Directory services lock an account after a handful of
 * wrong passwords, so mailgate waits longer after each refusal and, after {@code pauseAfter} refusals in a row,
 * stops trying until the connection is changed or an admin resumes it.
 *
 * @param firstDelay wait after the first refusal; doubled after each further one
 * @param maxDelay   the longest wait between two tries
 * @param pauseAfter refusals in a row after which the connection is paused (PAUSED_AUTH); 0 never pauses
 */
@ConfigurationProperties("mailgate.routes.auth-retry")
record AuthRetryProperties(Duration firstDelay, Duration maxDelay, Integer pauseAfter) {

    AuthRetryProperties {
        firstDelay = firstDelay == null ? Duration.ofSeconds(30) : firstDelay;
        maxDelay = maxDelay == null ? Duration.ofMinutes(30) : maxDelay;
        pauseAfter = pauseAfter == null ? 5 : pauseAfter;
    }

    /** The wait after the {@code failures}-th refusal in a row: first, 2×first, 4×first, … at most max. */
    Duration delayAfter(int failures) {
        Duration delay = firstDelay;
        for (int i = 1; i < failures && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    boolean pausesAt(int failures) {
        return pauseAfter > 0 && failures >= pauseAfter;
    }
}

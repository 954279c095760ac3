package io.mailgate.connection;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How mailbox routes run.
 *
 * @param timeout               bound on connecting to a mail server and on each of its answers
 * @param maxMessagesPerPoll    messages taken per poll (EWS, Graph; the rest come at the next poll) or per round (IMAP,
 *                              which searches again at once until nothing unseen is left)
 * @param backoffErrorThreshold failed polls in a row before a route backs off
 * @param backoffMultiplier     polls skipped between tries while backing off
 */
@Validated
@ConfigurationProperties("mailgate.routes")
public record RouteProperties(
        Duration timeout,
        @Min(1) int maxMessagesPerPoll,
        @Min(1) int backoffErrorThreshold,
        @Min(1) int backoffMultiplier) {

    public RouteProperties {
        timeout = timeout == null ? Duration.ofSeconds(15) : timeout;
        maxMessagesPerPoll = maxMessagesPerPoll == 0 ? 100 : maxMessagesPerPoll;
        backoffErrorThreshold = backoffErrorThreshold == 0 ? 3 : backoffErrorThreshold;
        backoffMultiplier = backoffMultiplier == 0 ? 5 : backoffMultiplier;
    }
}

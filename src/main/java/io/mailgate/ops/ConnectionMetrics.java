package io.mailgate.ops;

import io.mailgate.ingest.ConnectionRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Metrics per connection, tagged {@code connection=<org>/<apiName>}. In Prometheus:
 * <pre>
 * mailgate_polls_total{outcome="success|failure"}       polls of the mailbox
 * mailgate_poll_duration_seconds{outcome}               how long a poll took, its messages included
 * mailgate_messages_polled_total                        messages taken from the mailbox
 * mailgate_messages_ingested_total                      messages stored (new incident or appended)
 * mailgate_messages_duplicates_total                    redeliveries recognised as already stored
 * mailgate_messages_quarantined_total{code}             messages quarantined, by reason code
 * mailgate_failures_total{stage="poll|pipeline",code}   failed polls, and messages left unread by an error
 * mailgate_throttled_total                              polls the server throttled (Graph 429/503/504)
 * mailgate_message_lag_seconds                          age of a message when it was stored
 * mailgate_credential_expiry_days{credential,name}      days until a credential expires (see CredentialHealth)
 * mailgate_connection_warnings{warning}                 1 while the connection shows that warning
 * </pre>
 */
@Component
class ConnectionMetrics {

    static final String TAG = "connection";

    private final MeterRegistry registry;

    ConnectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void polled(ConnectionRef connection, int messages, Duration took, boolean success) {
        String outcome = success ? "success" : "failure";
        Counter.builder("mailgate.polls")
                .description("Polls of the mailbox")
                .tag(TAG, connection.name())
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("mailgate.poll.duration")
                .description("How long a poll took, its messages included")
                .tag(TAG, connection.name())
                .tag("outcome", outcome)
                .register(registry)
                .record(took);
        if (messages > 0) {
            counter("mailgate.messages.polled", "Messages taken from the mailbox", connection)
                    .increment(messages);
        }
    }

    void ingested(ConnectionRef connection, Duration lag) {
        counter("mailgate.messages.ingested", "Messages stored", connection).increment();
        if (lag != null) {
            Timer.builder("mailgate.message.lag")
                    .description("Age of a message when it was stored")
                    .tag(TAG, connection.name())
                    .register(registry)
                    .record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }

    void duplicate(ConnectionRef connection) {
        counter("mailgate.messages.duplicates", "Redeliveries of messages already stored", connection)
                .increment();
    }

    void quarantined(ConnectionRef connection, String code) {
        Counter.builder("mailgate.messages.quarantined")
                .description("Messages quarantined, by reason code")
                .tag(TAG, connection.name())
                .tag("code", code)
                .register(registry)
                .increment();
    }

    void failed(ConnectionRef connection, String stage, String code) {
        Counter.builder("mailgate.failures")
                .description("Failed polls and messages left unread by an error")
                .tag(TAG, connection.name())
                .tag("stage", stage)
                .tag("code", code)
                .register(registry)
                .increment();
    }

    void throttled(ConnectionRef connection) {
        counter("mailgate.throttled", "Polls the server throttled", connection).increment();
    }

    private Counter counter(String name, String description, ConnectionRef connection) {
        return Counter.builder(name)
                .description(description)
                .tag(TAG, connection.name())
                .register(registry);
    }
}

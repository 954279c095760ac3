package io.mailgate.ops;

import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.ConnectionRef;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.route.ExchangeEndNotifier;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Learns what became of each message when its exchange ends, from the properties the pipeline set: stored
 * ({@link ExchangePropertyNames#RESULT}), a duplicate, quarantined ({@link ExchangePropertyNames#QUARANTINED}), or failed and left unread at
 * its source. Counts it per connection; a failure also goes to the email log (the decisions themselves are logged
 * by the pipeline's steps).
 */
@Component
class PipelineOutcomes extends ExchangeEndNotifier {

    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private final ConnectionMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    PipelineOutcomes(ConnectionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void ended(Exchange exchange) {
        ConnectionRef connection = ConnectionRef.ofRoute(exchange.getFromRouteId());
        if (connection == null || exchange.getProperty(ExchangePropertyNames.CONNECTION_ID) == null) {
            return;
        }
        IngestResult result = exchange.getProperty(ExchangePropertyNames.RESULT, IngestResult.class);
        Exception failure = exchange.getException();
        if (failure == null && exchange.getProperty(ExchangePropertyNames.QUARANTINED) != null) {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            metrics.quarantined(connection, cause instanceof RejectedMessageException r ? r.code() : "UNEXPECTED");
        } else if (failure == null && result != null) {
            if (result.outcome() == IngestResult.Outcome.DUPLICATE) {
                metrics.duplicate(connection);
            } else {
                RawEmail raw = exchange.getMessage().getBody(RawEmail.class);
                Duration lag = raw == null || raw.receivedAt() == null
                        ? null
                        : Duration.between(raw.receivedAt(), clock.instant());
                metrics.ingested(connection, lag);
            }
        } else if (failure != null) {
            String code = failure.getClass().getSimpleName();
            metrics.failed(connection, "pipeline", code);
            emailLog.warn(
                    "connection={} route={} decision=FAILED code={} error={} (left unread, tried again at the next poll)",
                    connection.name(),
                    connection.routeId(),
                    code,
                    oneLine(failure.getMessage()));
        }
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String line = message.replaceAll("[\\r\\n]+", " ");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}

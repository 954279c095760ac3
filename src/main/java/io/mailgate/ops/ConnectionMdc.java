package io.mailgate.ops;

import io.mailgate.ingest.ConnectionRef;
import io.mailgate.route.ExchangeEventNotifier;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Puts the connection ({@code org/apiName}) of the message being processed into the logging MDC under
 * {@value #KEY}, so every log line written while a mailbox route and the shared pipeline handle that message
 * names its connection, whichever class writes it. A source hands its message to the pipeline on the same
 * thread ({@code direct:}), so the key is set when the exchange starts and removed when it ends.
 */
@Component
class ConnectionMdc extends ExchangeEventNotifier {

    static final String KEY = "connection";

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCreatedEvent
                || event instanceof CamelEvent.ExchangeCompletedEvent
                || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        ConnectionRef connection = ConnectionRef.ofRoute(exchange.getFromRouteId());
        if (connection == null) {
            return;
        }
        if (event instanceof CamelEvent.ExchangeCreatedEvent) {
            MDC.put(KEY, connection.name());
        } else {
            MDC.remove(KEY);
        }
    }
}

package io.mailgate.route;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;

/**
 * An {@link ExchangeEventNotifier} that hears only when an exchange ends, completed or failed, and is handed the
 * exchange: what the pipeline made of a message is known then (stored, duplicate, quarantined, or failed).
 */
public abstract class ExchangeEndNotifier extends ExchangeEventNotifier {

    protected ExchangeEndNotifier() {
        setIgnoreExchangeCreatedEvent(true);
    }

    @Override
    public final boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent;
    }

    @Override
    public final void notify(CamelEvent event) {
        ended(((CamelEvent.ExchangeEvent) event).getExchange());
    }

    /** The exchange completed ({@code getException() == null}) or failed. */
    protected abstract void ended(Exchange exchange);
}

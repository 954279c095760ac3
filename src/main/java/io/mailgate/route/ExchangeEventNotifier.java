package io.mailgate.route;

import org.apache.camel.support.EventNotifierSupport;

/**
 * A Camel event notifier that only hears when exchanges start and end: Camel does not even build the other
 * events (context, route, service, step, sending, redelivery) for it. Subclasses pick among created, completed
 * and failed in {@link #isEnabled}.
 */
public abstract class ExchangeEventNotifier extends EventNotifierSupport {

    protected ExchangeEventNotifier() {
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }
}

package io.mailgate.component.ews;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;

/** Polls a folder of an Exchange mailbox for unread messages; consumer only. */
@UriEndpoint(
        firstVersion = "4.17.0",
        scheme = "ews",
        title = "Exchange Web Services (on premises)",
        syntax = "ews:connectionKey",
        consumerOnly = true,
        category = {Category.MAIL},
        headersClass = EwsConstants.class)
public class EwsEndpoint extends ScheduledPollEndpoint {

    static final long DEFAULT_DELAY = 60_000;

    @UriParam
    private final EwsConfiguration configuration;

    EwsEndpoint(String uri, EwsComponent component, EwsConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        // A mailbox, not a queue: poll once a minute unless the URI says otherwise (as camel-mail does).
        setDelay(DEFAULT_DELAY);
    }

    public EwsConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("ews: is a consumer only; it cannot send mail");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        EwsConsumer consumer = new EwsConsumer(this, processor);
        consumer.setMaxMessagesPerPoll(configuration.getMaxMessagesPerPoll());
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    protected String createEndpointUri() {
        return "ews:" + configuration.getConnectionKey();
    }
}

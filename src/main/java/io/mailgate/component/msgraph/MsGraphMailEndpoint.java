package io.mailgate.component.msgraph;

import io.mailgate.http.ConnectionHttpClients;
import io.mailgate.http.HttpSettings;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.apache.camel.util.IOHelper;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** Reads unread messages of one mailbox folder through Microsoft Graph. Creating it makes no network call. */
@UriEndpoint(
        firstVersion = "4.17.0",
        scheme = "ms-graph-mail",
        title = "Microsoft Graph Mail",
        syntax = "ms-graph-mail:name",
        consumerOnly = true,
        category = {Category.MAIL})
public class MsGraphMailEndpoint extends ScheduledPollEndpoint {

    /** Like camel-mail: a mailbox is polled once a minute unless told otherwise. */
    static final long DEFAULT_DELAY = 60_000L;

    @UriPath(description = "A name for the connection, used in logs and metrics (e.g. the route id).")
    @Metadata(required = true)
    private final String name;

    @UriParam
    private final MsGraphMailConfiguration configuration;
    /** The client this endpoint made itself (no httpClient bean given), closed when its consumer stops. */
    private CloseableHttpClient ownedHttpClient;

    MsGraphMailEndpoint(
            String uri, MsGraphMailComponent component, String name, MsGraphMailConfiguration configuration) {
        super(uri, component);
        this.name = name;
        this.configuration = configuration;
        setDelay(DEFAULT_DELAY);
    }

    @Override
    public long getDefaultDelay() {
        return DEFAULT_DELAY;
    }

    public String getName() {
        return name;
    }

    public MsGraphMailConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("ms-graph-mail only reads mail: it has no producer");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.getTokenProvider() == null) {
            throw new IllegalArgumentException("ms-graph-mail:" + name + " needs tokenProvider (a #bean reference)");
        }
        if (configuration.getTokenProvider().appOnly()
                && MsGraphMailClient.sharedMailbox(configuration.getMailbox()) == null) {
            throw new IllegalArgumentException(
                    "ms-graph-mail:" + name + ": app-only access has no signed-in user (/me); set mailbox");
        }
        URI base = URI.create(configuration.getBaseUrl());
        if (base.getScheme() == null || base.getHost() == null) {
            throw new IllegalArgumentException("ms-graph-mail:" + name + ": baseUrl must be an absolute URL: " + base);
        }
        MsGraphMailConsumer consumer = new MsGraphMailConsumer(this, processor);
        consumer.setMaxMessagesPerPoll(configuration.getMaxMessagesPerPoll());
        configureConsumer(consumer);
        return consumer;
    }

    /** Called when the consumer stops: closes the HTTP client if the endpoint made it (a bean is its owner's). */
    void releaseClient(MsGraphMailClient client) {
        CloseableHttpClient owned = ownedHttpClient;
        ownedHttpClient = null;
        if (owned != null) {
            IOHelper.close(owned);
        }
    }

    /** A client of the endpoint's own, from its sslContext and proxy, for when no httpClient bean is given. */
    CloseableHttpClient httpClient() {
        return httpClient(configuration);
    }

    static CloseableHttpClient httpClient(MsGraphMailConfiguration configuration) {
        GraphProxy proxy = configuration.getProxy();
        return ConnectionHttpClients.create(
                HttpSettings.of(configuration.getSslContext(), proxy == null ? null : proxy.toProxyServer())
                        .withUserAgent("mailgate-graph"));
    }

    /** Called when the consumer starts: the HTTP client and the mailbox's shared throttle. */
    MsGraphMailClient createClient() {
        CloseableHttpClient http = configuration.getHttpClient();
        if (http == null) {
            http = httpClient();
            ownedHttpClient = http;
        }
        String mailbox = MsGraphMailClient.sharedMailbox(configuration.getMailbox());
        // the signed-in account's mailbox (/me) is only known per connection, so it is keyed by the endpoint's name
        String key =
                configuration.getBaseUrl() + "|" + (mailbox == null ? "me:" + name : mailbox.toLowerCase(Locale.ROOT));
        return new MsGraphMailClient(
                http,
                URI.create(configuration.getBaseUrl()),
                configuration.getMailbox(),
                configuration.getTokenProvider(),
                ((MsGraphMailComponent) getComponent()).throttleFor(key),
                Clock.systemUTC());
    }
}

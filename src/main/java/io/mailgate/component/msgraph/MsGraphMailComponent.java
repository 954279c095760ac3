package io.mailgate.component.msgraph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;

/**
 * {@code ms-graph-mail:name?mailbox=…&folder=…&tokenProvider=#bean}: reads unread mail of a
 * Microsoft 365 mailbox through Microsoft Graph, shaped like camel-mail.
 */
@Component("ms-graph-mail")
public class MsGraphMailComponent extends HealthCheckComponent {

    @Metadata(description = "Defaults for every endpoint of this component; each endpoint works on its own copy.")
    private MsGraphMailConfiguration configuration = new MsGraphMailConfiguration();

    /** Graph limits requests per app and mailbox, so endpoints of the same mailbox share one gate. */
    private final Map<String, MailboxThrottle> throttles = new ConcurrentHashMap<>();

    public MsGraphMailComponent() {
        registerExtension(MsGraphMailComponentVerifierExtension::new);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("ms-graph-mail needs a name, e.g. ms-graph-mail:phishing_reports");
        }
        // a copy: an endpoint's options never change the component's defaults or another endpoint's
        MsGraphMailConfiguration configuration = this.configuration.copy();
        MsGraphMailEndpoint endpoint = new MsGraphMailEndpoint(uri, this, remaining, configuration);
        // the configuration's options first, then the endpoint's own (scheduler, delay, bridgeErrorHandler …)
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public MsGraphMailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(MsGraphMailConfiguration configuration) {
        this.configuration = configuration == null ? new MsGraphMailConfiguration() : configuration;
    }

    MailboxThrottle throttleFor(String key) {
        return throttles.computeIfAbsent(key, k -> new MailboxThrottle());
    }
}

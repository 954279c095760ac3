package io.mailgate.component.msgraph;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code ms-graph-mail:name?mailbox=…&folder=…&tokenProvider=#bean}: reads unread mail of a
 * Microsoft 365 mailbox through Microsoft Graph, shaped like camel-mail.
 */
@Component("ms-graph-mail")
public class MsGraphMailComponent extends DefaultComponent {

    /** Graph limits requests per app and mailbox, so endpoints of the same mailbox share one gate. */
    private final Map<String, MailboxThrottle> throttles = new ConcurrentHashMap<>();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("ms-graph-mail needs a name, e.g. ms-graph-mail:phishing_reports");
        }
        MsGraphMailConfiguration configuration = new MsGraphMailConfiguration();
        MsGraphMailEndpoint endpoint = new MsGraphMailEndpoint(uri, this, remaining, configuration);
        // the configuration's options first, then the endpoint's own (scheduler, delay, bridgeErrorHandler …)
        setProperties(configuration, parameters);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    MailboxThrottle throttleFor(String key) {
        return throttles.computeIfAbsent(key, k -> new MailboxThrottle());
    }
}

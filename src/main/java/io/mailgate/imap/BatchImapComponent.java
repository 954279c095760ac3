package io.mailgate.imap;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * mailgate's IMAP source, shaped like camel-mail's consumer but fetching in batches:
 * {@code mailgate-imap:host:port?session=#bean&authenticator=#bean&spool=#rawSpool&folderName=INBOX} (the scheme
 * {@code mailgate-imaps} reads the same; TLS is the session's). One {@code UID SEARCH UNSEEN UNDELETED} per round, many
 * messages per {@code UID FETCH}, one {@code UID STORE} per batch for the messages the route committed, and the
 * folder drained before the consumer waits for its next poll. It never expunges, and no mail header ever becomes
 * an exchange header (CVE-2026-40453): the exchange carries only the spooled raw message.
 */
final class BatchImapComponent extends DefaultComponent {

    private final ImapWorkers workers;
    private final PushModes modes;

    BatchImapComponent(ImapWorkers workers, PushModes modes) {
        this.workers = workers;
        this.modes = modes;
    }

    ImapWorkers workers() {
        return workers;
    }

    PushModes modes() {
        return modes;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String address = remaining.startsWith("//") ? remaining.substring(2) : remaining;
        int colon = address.lastIndexOf(':');
        if (address.isBlank() || colon == 0) {
            throw new IllegalArgumentException(
                    "The IMAP endpoint needs a host: " + uri + " (expected scheme:host:port)");
        }
        BatchImapEndpoint endpoint = new BatchImapEndpoint(uri, this);
        if (colon > 0) {
            endpoint.setHost(address.substring(0, colon));
            endpoint.setPort(Integer.parseInt(address.substring(colon + 1)));
        } else {
            endpoint.setHost(address);
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}

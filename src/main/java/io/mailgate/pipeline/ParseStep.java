package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.ArtifactAllowLists;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.MalformedEmailException;
import io.mailgate.parse.MimeParser;
import io.mailgate.parse.ParsedEmail;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Parses the raw (or decrypted) message once into an immutable ParsedEmail; a bad message is rejected. */
@Component("parseStep")
class ParseStep implements Processor {

    private final MimeParser parser;
    private final IngestProperties settings;
    private final ConnectionRepository connections;
    private final ArtifactAllowLists allowLists;

    ParseStep(
            MimeParser parser,
            IngestProperties settings,
            ConnectionRepository connections,
            ArtifactAllowLists allowLists) {
        this.parser = parser;
        this.settings = settings;
        this.connections = connections;
        this.allowLists = allowLists;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        if (raw.size() > settings.maxMessageBytes()) {
            throw new RejectedMessageException(
                    "TOO_LARGE",
                    "The message has " + raw.size() + " bytes, more than the limit of " + settings.maxMessageBytes()
                            + " (mailgate.ingest.max-message-bytes).");
        }
        Path file = exchange.getProperty(ExchangePropertyNames.PARSE_FILE, raw.file(), Path.class);
        ParsedEmail parsed;
        try {
            long orgId = PipelineExchange.connection(exchange, connections).getOrgId();
            parsed = parser.parse(file, allowLists.filterOf(orgId));
        } catch (MalformedEmailException e) {
            throw new RejectedMessageException(e.reason().name(), e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            // Odd MIME must never stop the mailbox: whatever the parser trips on, the message is quarantined.
            throw new RejectedMessageException(
                    "MALFORMED",
                    "The message could not be parsed (" + e.getClass().getSimpleName() + ").",
                    e);
        }
        exchange.setProperty(ExchangePropertyNames.PARSED, parsed);
    }
}

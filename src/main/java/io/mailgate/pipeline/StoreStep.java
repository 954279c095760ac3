package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.DecryptionSummary;
import io.mailgate.incident.IngestResult;
import io.mailgate.incident.IngestService;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/** Dedup, incident policy and storage in one transaction (see {@link IngestService}). */
@Component("storeStep")
class StoreStep implements Processor {

    static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private final ConnectionRepository connections;
    private final IngestService ingest;

    StoreStep(ConnectionRepository connections, IngestService ingest) {
        this.connections = connections;
        this.ingest = ingest;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(IngestProperties.PARSED, ParsedEmail.class);
        ConnectionEntity connection = connection(exchange, connections);
        DecryptionSummary decryption = exchange.getProperty(IngestProperties.DECRYPTION, DecryptionSummary.PLAIN,
                DecryptionSummary.class);
        IngestResult result;
        try {
            result = ingest.ingest(connection, raw, parsed, decryption);
        } catch (DataIntegrityViolationException e) {
            // Two deliveries of one message raced and the other one committed first: this one is the duplicate.
            result = ingest.ingest(connection, raw, parsed, decryption);
            if (result.outcome() != IngestResult.Outcome.DUPLICATE) {
                throw e;
            }
        }
        exchange.setProperty(IngestProperties.RESULT, result);
        emailLog.info("connection={}/{} messageId={} position={} decision={} incident={} linkReason={}",
                connection.getOrgHandle(), connection.getApiName(), parsed.messageId(), raw.sourcePosition(),
                result.outcome(), result.incidentId(), result.linkReason());
    }

    /** The message's connection, read from the database once per message and kept on the exchange. */
    static ConnectionEntity connection(Exchange exchange, ConnectionRepository connections) {
        ConnectionEntity loaded = exchange.getProperty(IngestProperties.CONNECTION, ConnectionEntity.class);
        if (loaded != null) {
            return loaded;
        }
        Long id = exchange.getProperty(IngestProperties.CONNECTION_ID, Long.class);
        if (id == null) {
            throw new IllegalStateException("The source route did not set " + IngestProperties.CONNECTION_ID);
        }
        // A connection deleted while its message was in flight: fail, so the source leaves the message unread.
        ConnectionEntity connection = connections.findById(id).orElseThrow(
                () -> new IllegalStateException("Connection " + id + " no longer exists"));
        exchange.setProperty(IngestProperties.CONNECTION, connection);
        return connection;
    }
}

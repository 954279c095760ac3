package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.DecryptionSummary;
import io.mailgate.incident.DedupVerdict;
import io.mailgate.incident.IncidentDedup;
import io.mailgate.incident.IncidentLinker;
import io.mailgate.incident.IngestResult;
import io.mailgate.incident.IngestService;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Store stage of the incident sink, and its transaction: raw bytes, message, incident, artifacts and the
 * change-feed position commit together or not at all (see {@link IngestService}), with what the dedup and link
 * steps decided. The source marks the message read only after this committed.
 */
@Component("storeStep")
class StoreStep implements Processor {

    private final ConnectionRepository connections;
    private final IngestService ingest;
    private final IncidentDedup dedup;

    StoreStep(ConnectionRepository connections, IngestService ingest, IncidentDedup dedup) {
        this.connections = connections;
        this.ingest = ingest;
        this.dedup = dedup;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(IngestProperties.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        DecryptionSummary decryption = exchange.getProperty(IngestProperties.DECRYPTION, DecryptionSummary.PLAIN,
                DecryptionSummary.class);
        DedupVerdict verdict = exchange.getProperty(IngestProperties.DEDUP, DedupVerdict.class);
        IncidentLinker.Decision link = exchange.getProperty(IngestProperties.LINK, IncidentLinker.Decision.class);
        if (verdict == null || link == null) {
            throw new IllegalStateException("The store step runs after the dedup and link steps");
        }
        IngestResult result;
        try {
            result = ingest.store(connection, raw, parsed, decryption, verdict, link);
        } catch (DataIntegrityViolationException e) {
            // Another delivery of this message committed after the dedup step looked: the unique indexes stopped
            // this one, which is then a duplicate. Anything else is a real failure (the message stays unread).
            if (dedup.check(connection, raw, parsed).duplicate()) {
                DedupStep.duplicate(exchange, connection, raw, parsed);
                return;
            }
            throw e;
        }
        exchange.setProperty(IngestProperties.RESULT, result);
        PipelineExchange.emailLog.info("connection={}/{} messageId={} position={} decision={} incident={} linkReason={}",
                connection.getOrgHandle(), connection.getApiName(), parsed.messageId(), raw.sourcePosition(),
                result.outcome(), result.incidentId(), result.linkReason());
    }
}

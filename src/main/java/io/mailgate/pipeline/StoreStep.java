package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.ChangeSequencer;
import io.mailgate.incident.DecryptionSummary;
import io.mailgate.incident.DedupVerdict;
import io.mailgate.incident.IncidentDedup;
import io.mailgate.incident.IncidentLinker;
import io.mailgate.incident.IngestResult;
import io.mailgate.incident.IngestService;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Store stage of the incident sink, and its transaction: raw bytes, message, incident, artifacts and the
 * change-feed position commit together or not at all (see {@link IngestService}), with what the dedup and link
 * steps decided. The source marks the message read only after this committed. Inside a group's transaction
 * ({@link GroupCommitter}) it only writes: the group commits.
 */
@Component("storeStep")
class StoreStep implements Processor {

    private final ConnectionRepository connections;
    private final IngestService ingest;
    private final IncidentDedup dedup;
    private final ChangeSequencer sequencer;

    StoreStep(ConnectionRepository connections, IngestService ingest, IncidentDedup dedup, ChangeSequencer sequencer) {
        this.sequencer = sequencer;
        this.connections = connections;
        this.ingest = ingest;
        this.dedup = dedup;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        DecryptionSummary decryption = exchange.getProperty(
                ExchangePropertyNames.DECRYPTION, DecryptionSummary.PLAIN, DecryptionSummary.class);
        DedupVerdict verdict = exchange.getProperty(ExchangePropertyNames.DEDUP, DedupVerdict.class);
        IncidentLinker.Decision link = exchange.getProperty(ExchangePropertyNames.LINK, IncidentLinker.Decision.class);
        if (verdict == null || link == null) {
            throw new IllegalStateException("The store step runs after the dedup and link steps");
        }
        if (PipelineExchange.inGroup()) {
            // One message of a group: the group's committer commits, positions and logs. Any failure (a unique
            // index included) fails the group, which is rolled back and stored message by message below.
            exchange.setProperty(
                    ExchangePropertyNames.RESULT, ingest.store(connection, raw, parsed, decryption, verdict, link));
            return;
        }
        IngestResult result;
        try {
            result = ingest.store(connection, raw, parsed, decryption, verdict, link);
        } catch (DataIntegrityViolationException e) {
            // Another delivery of this message committed after the dedup step looked: the unique indexes stopped
            // this one, which is then a duplicate. Anything else is a real failure (the message stays unread).
            if (dedup.check(connection, raw, parsed).duplicate()) {
                DedupStep.duplicate(exchange);
                return;
            }
            throw e;
        }
        // Committed: the change-feed position now, before the exchange completes and the source marks it read.
        sequencer.afterCommit();
        exchange.setProperty(ExchangePropertyNames.RESULT, result);
        PipelineExchange.logResult(exchange);
    }
}

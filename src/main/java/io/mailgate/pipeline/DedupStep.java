package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.DedupVerdict;
import io.mailgate.incident.IncidentDedup;
import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Dedup stage of the incident sink: a message stored before (same source position, or same Message-ID and
 * content fingerprint) gets the result DUPLICATE, and the sink's filter skips linking and storing it.
 * Otherwise the verdict (its dedup key, and whether its Message-ID was seen on another message) goes on to
 * the store step in property {@value ExchangePropertyNames#DEDUP}. Inside a group's transaction it also sees the
 * messages stored earlier in the same group (uncommitted, same connection).
 */
@Component("dedupStep")
class DedupStep implements Processor {

    private final ConnectionRepository connections;
    private final IncidentDedup dedup;

    DedupStep(ConnectionRepository connections, IncidentDedup dedup) {
        this.connections = connections;
        this.dedup = dedup;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        DedupVerdict verdict = dedup.check(connection, raw, parsed);
        exchange.setProperty(ExchangePropertyNames.DEDUP, verdict);
        if (verdict.duplicate()) {
            duplicate(exchange);
        }
    }

    static void duplicate(Exchange exchange) {
        exchange.setProperty(ExchangePropertyNames.RESULT, IngestResult.duplicate());
        if (!PipelineExchange.inGroup()) {
            PipelineExchange.logResult(exchange); // in a group: once the group committed
        }
    }
}

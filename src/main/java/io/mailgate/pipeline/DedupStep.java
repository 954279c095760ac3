package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.DedupVerdict;
import io.mailgate.incident.IncidentDedup;
import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Dedup stage of the incident sink: a message stored before (same source position, or same Message-ID and
 * content fingerprint) gets the result DUPLICATE, and the sink's filter skips linking and storing it.
 * Otherwise the verdict (its dedup key, and whether its Message-ID was seen on another message) goes on to
 * the store step in property {@value IngestProperties#DEDUP}.
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
        ParsedEmail parsed = exchange.getProperty(IngestProperties.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        DedupVerdict verdict = dedup.check(connection, raw, parsed);
        exchange.setProperty(IngestProperties.DEDUP, verdict);
        if (verdict.duplicate()) {
            duplicate(exchange, connection, raw, parsed);
        }
    }

    static void duplicate(Exchange exchange, ConnectionEntity connection, RawEmail raw, ParsedEmail parsed) {
        IngestResult result = IngestResult.duplicate();
        exchange.setProperty(IngestProperties.RESULT, result);
        PipelineExchange.emailLog.info("connection={}/{} messageId={} position={} decision={} incident={} linkReason={}",
                connection.getOrgHandle(), connection.getApiName(), parsed.messageId(), raw.sourcePosition(),
                result.outcome(), result.incidentId(), result.linkReason());
    }
}

package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.IncidentLinker;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Link stage of the incident sink: the connection's incident policy decides which incident the message joins
 * (a reference in the subject, its thread, or a new one), in property {@value ExchangePropertyNames#LINK}. A message
 * that an APPEND-only connection cannot place is rejected (quarantined as UNMATCHED).
 */
@Component("linkStep")
class LinkStep implements Processor {

    private final ConnectionRepository connections;
    private final IncidentLinker linker;

    LinkStep(ConnectionRepository connections, IncidentLinker linker) {
        this.connections = connections;
        this.linker = linker;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        exchange.setProperty(
                ExchangePropertyNames.LINK, linker.decide(PipelineExchange.connection(exchange, connections), parsed));
    }
}

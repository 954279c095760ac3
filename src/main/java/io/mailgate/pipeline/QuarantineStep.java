package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.ParsedEmail;
import io.mailgate.quarantine.QuarantineService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * Where a rejected message goes: quarantine, raw bytes kept with the reason. Once it is stored there the
 * source may mark it read, so a bad message never blocks its mailbox.
 */
@Component("quarantineStep")
class QuarantineStep implements Processor {

    private final ConnectionRepository connections;
    private final QuarantineService quarantine;

    QuarantineStep(ConnectionRepository connections, QuarantineService quarantine) {
        this.connections = connections;
        this.quarantine = quarantine;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String code = cause instanceof RejectedMessageException r ? r.code() : "UNEXPECTED";
        String reason = cause == null || cause.getMessage() == null ? "Unknown reason" : cause.getMessage();
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(IngestProperties.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        long id = quarantine.quarantine(connection, raw, code, reason,
                parsed == null ? null : parsed.messageId(), parsed == null ? null : parsed.subject(),
                exchange.getProperty(IngestProperties.QUARANTINE_ID, Long.class));
        exchange.setProperty(IngestProperties.QUARANTINED, id);
        PipelineExchange.emailLog.info("connection={}/{} position={} decision=QUARANTINED code={} quarantine={} reason={}",
                connection.getOrgHandle(), connection.getApiName(), raw.sourcePosition(), code, id, reason);
    }
}

package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.MimeParser;
import io.mailgate.parse.OuterHeaders;
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

    private final MimeParser parser;

    QuarantineStep(ConnectionRepository connections, QuarantineService quarantine, MimeParser parser) {
        this.connections = connections;
        this.quarantine = quarantine;
        this.parser = parser;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String code = cause instanceof RejectedMessageException r ? r.code() : "UNEXPECTED";
        String reason = cause == null || cause.getMessage() == null ? "Unknown reason" : cause.getMessage();
        RawEmail raw = exchange.getMessage().getMandatoryBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        ConnectionEntity connection = PipelineExchange.connection(exchange, connections);
        long id = quarantine.quarantine(
                connection,
                raw,
                code,
                reason,
                identify(raw, parsed),
                exchange.getProperty(ExchangePropertyNames.QUARANTINE_ID, Long.class));
        exchange.setProperty(ExchangePropertyNames.QUARANTINED, id);
        PipelineExchange.emailLog.info(
                "connection={}/{} position={} decision=QUARANTINED code={} quarantine={} reason={}",
                connection.getOrgHandle(),
                connection.getApiName(),
                raw.sourcePosition(),
                code,
                id,
                reason);
    }

    /**
     * The outer (top-level) Message-ID, Subject, From and Date of the raw bytes as fetched, whatever stage
     * rejected the message: a TOO_DEEP bomb or an undecryptable S/MIME message has a readable header block
     * even though it was never parsed. Only when that block is unreadable too does the parsed message help.
     */
    private OuterHeaders identify(RawEmail raw, ParsedEmail parsed) {
        OuterHeaders outer = parser.outerHeaders(raw.file());
        if (!outer.equals(OuterHeaders.NONE) || parsed == null) {
            return outer;
        }
        return new OuterHeaders(parsed.messageId(), parsed.subject(), parsed.from(), parsed.date());
    }
}

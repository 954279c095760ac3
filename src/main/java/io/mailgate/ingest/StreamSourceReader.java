package io.mailgate.ingest;

import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * First step of the HTTP-based sources (EWS, Microsoft Graph): spools the raw MIME stream the consumer hands
 * over, with the source position the route template put in {@link #POSITION}, and replaces the exchange's
 * message with one that carries only the {@link RawEmail} (no header of any source survives).
 */
@Component("streamSourceReader")
class StreamSourceReader implements Processor {

    /** Exchange property with the item's position in its source, e.g. ews:&lt;ItemId&gt;. */
    static final String POSITION = "mailgateSourcePosition";

    private final RawSpool spool;

    StreamSourceReader(RawSpool spool) {
        this.spool = spool;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String position = exchange.getProperty(POSITION, String.class);
        RawEmail raw;
        try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
            raw = spool.spool(in, position);
        }
        RawSpool.deleteOnCompletion(exchange, raw.file());
        DefaultMessage clean = new DefaultMessage(exchange);
        clean.setBody(raw);
        exchange.setIn(clean);
    }
}

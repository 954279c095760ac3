package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.ingest.IngestProperties;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every pipeline step reads from the message's exchange, and the email log they write decisions to. */
final class PipelineExchange {

    static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private PipelineExchange() {
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

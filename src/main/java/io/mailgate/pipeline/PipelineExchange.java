package io.mailgate.pipeline;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.ConnectionRef;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.SourceBatch;
import io.mailgate.parse.ParsedEmail;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What every pipeline step reads from the message's exchange, and the email log they write decisions to. */
final class PipelineExchange {

    static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private PipelineExchange() {}

    /**
     * The message's connection, kept on the exchange: read from the database once per source batch (all of its
     * messages come from one connection, fetched with the same settings; a query and a JSON read per message were
     * 7% of a worker's CPU, issue 13), or once per message when the source sends them one at a time. The entity is
     * only read, never changed, so the batch's messages share it across the worker threads.
     */
    static ConnectionEntity connection(Exchange exchange, ConnectionRepository connections) {
        ConnectionEntity loaded = exchange.getProperty(ExchangePropertyNames.CONNECTION, ConnectionEntity.class);
        if (loaded != null) {
            return loaded;
        }
        Long id = exchange.getProperty(ExchangePropertyNames.CONNECTION_ID, Long.class);
        if (id == null) {
            throw new IllegalStateException("The source route did not set " + ExchangePropertyNames.CONNECTION_ID);
        }
        SourceBatch batch = exchange.getProperty(SourceBatch.PROPERTY, SourceBatch.class);
        ConnectionEntity connection = batch == null
                ? load(id, connections)
                : batch.shared(ConnectionEntity.class, () -> load(id, connections));
        exchange.setProperty(ExchangePropertyNames.CONNECTION, connection);
        return connection;
    }

    private static ConnectionEntity load(long id, ConnectionRepository connections) {
        // A connection deleted while its message was in flight: fail, so the source leaves the message unread.
        return connections
                .findById(id)
                .orElseThrow(() -> new IllegalStateException("Connection " + id + " no longer exists"));
    }

    /**
     * Whether a sink step runs inside a group's transaction ({@link GroupCommitter}): then the committer, not the
     * step, commits, gives change-feed positions and logs the decision once the group committed.
     */
    static boolean inGroup() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    /** The email log's line for a message the sink stored or found a duplicate (nothing for a failed one). */
    static void logResult(Exchange exchange) {
        IngestResult result = exchange.getProperty(ExchangePropertyNames.RESULT, IngestResult.class);
        ConnectionEntity connection = exchange.getProperty(ExchangePropertyNames.CONNECTION, ConnectionEntity.class);
        if (result == null || connection == null || exchange.getException() != null) {
            return;
        }
        RawEmail raw = exchange.getMessage().getBody(RawEmail.class);
        ParsedEmail parsed = exchange.getProperty(ExchangePropertyNames.PARSED, ParsedEmail.class);
        emailLog.info(
                "connection={}/{} messageId={} position={} decision={} incident={} linkReason={}",
                connection.getOrgHandle(),
                connection.getApiName(),
                parsed == null ? null : parsed.messageId(),
                raw == null ? null : raw.sourcePosition(),
                result.outcome(),
                result.incidentId(),
                result.linkReason());
    }

    /**
     * The message's connection in the logging MDC while the group committer works on it (on the source's and the
     * workers' threads io.mailgate.ops.ConnectionMdc and the worker pool put it there), under the same key.
     */
    static MdcScope mdcOf(Exchange exchange) {
        ConnectionRef connection = ConnectionRef.ofRoute(exchange.getFromRouteId());
        if (connection == null) {
            return () -> {};
        }
        MDC.put(MDC_CONNECTION, connection.name());
        return () -> MDC.remove(MDC_CONNECTION);
    }

    /** Ends what {@link #mdcOf} put in the MDC. */
    interface MdcScope extends AutoCloseable {
        @Override
        void close();
    }

    /** io.mailgate.ops.ConnectionMdc's key. */
    private static final String MDC_CONNECTION = "connection";
}

package io.mailgate.pipeline;

import io.mailgate.incident.ChangeSequencer;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code group-commit:NAME?maxMessages=50&maxBytes=2097152&lingerMillis=50}: sends a message to the route
 * {@code direct:NAME} the way the {@link GroupCommitter} does, many messages in one transaction, in source order.
 * Producer only; the exchange completes after its group committed (or after it was stored alone, when its group
 * failed).
 */
@Component("group-commit")
class GroupCommitComponent extends DefaultComponent {

    static final int DEFAULT_MAX_MESSAGES = 50;
    static final int DEFAULT_LINGER_MILLIS = 50;
    /** See {@link GroupCommitter.Limits#maxBytes()} for why 2 MiB. */
    static final long DEFAULT_MAX_BYTES = 2L * 1024 * 1024;

    private final PlatformTransactionManager transactions;
    private final EntityManager entities;
    private final ChangeSequencer sequencer;
    private final GroupCommitter.Stats stats = new GroupCommitter.Stats();
    /** The route goes on after the sink (tags, the after-store hook) on the ingest workers, not the committer. */
    private final ExecutorService completions;

    GroupCommitComponent(
            PlatformTransactionManager transactions,
            EntityManager entities,
            ChangeSequencer sequencer,
            @Qualifier(IngestWorkers.NAME) ExecutorService completions) {
        this.completions = completions;
        this.transactions = transactions;
        this.entities = entities;
        this.sequencer = sequencer;
    }

    GroupCommitter.Stats stats() {
        return stats;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("group-commit needs the name of the direct: route to run: " + uri);
        }
        int maxMessages = getAndRemoveParameter(parameters, "maxMessages", Integer.class, DEFAULT_MAX_MESSAGES);
        if (maxMessages < 1) {
            throw new IllegalArgumentException("group-commit maxMessages must be at least 1: " + uri);
        }
        long maxBytes = getAndRemoveParameter(parameters, "maxBytes", Long.class, DEFAULT_MAX_BYTES);
        if (maxBytes < 1) {
            throw new IllegalArgumentException("group-commit maxBytes must be at least 1: " + uri);
        }
        int lingerMillis = getAndRemoveParameter(parameters, "lingerMillis", Integer.class, DEFAULT_LINGER_MILLIS);
        if (lingerMillis < 0) {
            throw new IllegalArgumentException("group-commit lingerMillis must not be negative: " + uri);
        }
        return new GroupCommitEndpoint(
                uri,
                this,
                remaining,
                new GroupCommitter.Limits(maxMessages, maxBytes, Duration.ofMillis(lingerMillis)));
    }

    private final class GroupCommitEndpoint extends DefaultEndpoint {

        private final String sinkName;
        private final GroupCommitter.Limits limits;
        private Producer sink;
        private GroupCommitter committer;

        GroupCommitEndpoint(String uri, GroupCommitComponent component, String sinkName, GroupCommitter.Limits limits) {
            super(uri, component);
            this.sinkName = sinkName;
            this.limits = limits;
        }

        @Override
        public boolean isSingleton() {
            return true; // one committer per sink
        }

        @Override
        public Producer createProducer() {
            return new DefaultAsyncProducer(this) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    return committer.offer(exchange, callback);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("group-commit is a producer: it sends to direct:" + sinkName);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            sink = getCamelContext().getEndpoint("direct:" + sinkName).createProducer();
            ServiceHelper.startService(sink);
            committer = new GroupCommitter(
                    sinkName,
                    sink,
                    new TransactionTemplate(transactions),
                    entities,
                    sequencer,
                    limits,
                    stats,
                    completions);
            committer.start();
        }

        @Override
        protected void doStop() throws Exception {
            if (committer != null) {
                committer.stop();
            }
            ServiceHelper.stopService(sink);
            super.doStop();
        }
    }
}

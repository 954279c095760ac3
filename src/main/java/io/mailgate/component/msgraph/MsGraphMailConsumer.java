package io.mailgate.component.msgraph;

import io.mailgate.oauth.OAuthException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the folder for unread messages; each becomes an exchange whose body is the raw MIME as an
 * {@link InputStream}. The message is downloaded to a temporary file first, so neither a large
 * message sits in memory nor an HTTP connection stays open while the pipeline runs. Only when the
 * exchange completes is the message marked read; on failure it stays unread and comes again.
 *
 * <p>Downloads run {@code parallelRequests} (at most 4, Exchange Online's concurrency per mailbox) at a time, ahead
 * of the pipeline, which still takes the messages one by one in order; completed messages are marked read together,
 * in parallel, after each such group.
 */
final class MsGraphMailConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MsGraphMailConsumer.class);

    private final MsGraphMailEndpoint endpoint;
    private final MsGraphMailConfiguration configuration;
    /** Processed successfully but not yet marked read (Graph refused the PATCH): retried first, never re-delivered. */
    private final Set<String> pendingMarkRead = ConcurrentHashMap.newKeySet();
    /** Completed, to be marked read after the current group of downloads. */
    private final Queue<String> toMarkRead = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private MsGraphMailClient client;
    private GraphFolder folder;
    private java.util.concurrent.ExecutorService requests;

    MsGraphMailConsumer(MsGraphMailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        client = endpoint.createClient();
        folder = null;
        requests = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "ms-graph-mail-requests", configuration.getParallelRequests());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (requests != null) {
            markReadWaiting();
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(requests);
            requests = null;
        }
    }

    @Override
    protected int poll() throws Exception {
        shutdownRunningTask = null;
        pendingExchanges = 0;
        Instant throttledUntil = client.throttledUntil();
        if (throttledUntil != null) {
            LOG.debug("ms-graph-mail:{} mailbox {} throttled until {}; skipping this poll", endpoint.getName(), client.mailbox(), throttledUntil);
            return 0;
        }
        try {
            markReadWaiting(); // completed after the last poll's groups (an asynchronous pipeline)
            retryPendingMarkRead();
            if (folder == null) {
                folder = client.resolveFolder(configuration.getFolder());
            }
            int limit = maxMessagesPerPoll > 0 ? maxMessagesPerPoll : Integer.MAX_VALUE;
            List<GraphMessage> messages = client.listUnread(folder.id(), configuration.getPageSize(), limit);
            Queue<Object> exchanges = new ArrayDeque<>();
            for (GraphMessage message : messages) {
                if (!pendingMarkRead.contains(message.id())) {
                    exchanges.add(createExchange(message));
                }
            }
            LOG.debug("ms-graph-mail:{} found {} unread messages in {}", endpoint.getName(), exchanges.size(), folder.displayName());
            return processBatch(exchanges);
        } catch (GraphThrottledException e) {
            // already logged by the client; the next polls are skipped until Retry-After has passed
            return 0;
        } catch (GraphException e) {
            if (e.status() == 404) {
                folder = null; // the folder may have been renamed or recreated: resolve it again next time
            }
            throw e;
        }
    }

    private Exchange createExchange(GraphMessage message) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setHeader(MsGraphMailConstants.MESSAGE_ID, message.id());
        exchange.getIn().setHeader(MsGraphMailConstants.INTERNET_MESSAGE_ID, message.internetMessageId());
        exchange.getIn().setHeader(MsGraphMailConstants.MAILBOX, client.mailbox());
        exchange.getIn().setHeader(MsGraphMailConstants.FOLDER_ID, folder.id());
        exchange.getIn().setHeader(MsGraphMailConstants.RECEIVED_DATE_TIME, message.receivedDateTime());
        return exchange;
    }

    /** A download of the current group: its spool file, or why there is none. */
    private record Download(Exchange exchange, String id, Path spool, Exception failure) {
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        int total = exchanges.size();
        int processed = 0;
        int index = 0;
        try {
            while (!exchanges.isEmpty() && isBatchAllowed()) {
                List<Download> group = download(exchanges);
                boolean stop = false;
                for (Download d : group) {
                    if (stop || !isBatchAllowed()) {
                        deleteQuietly(d.spool());
                        continue;
                    }
                    if (d.failure() != null) {
                        if (d.failure() instanceof GraphThrottledException) {
                            stop = true; // the rest waits for the next poll after Retry-After
                            continue;
                        }
                        if (d.failure() instanceof GraphException e && e.status() == 404) {
                            LOG.info("ms-graph-mail:{} message {} is gone (moved or deleted) before it was read; skipped",
                                    endpoint.getName(), d.id());
                            index++;
                            continue;
                        }
                        group.forEach(other -> deleteQuietly(other.spool()));
                        throw d.failure();
                    }
                    Exchange exchange = d.exchange();
                    exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
                    exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
                    exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
                    pendingExchanges = total - index - 1;
                    index++;
                    process(exchange, d.id(), d.spool());
                    processed++;
                }
                markReadWaiting();
                if (stop) {
                    break;
                }
            }
        } finally {
            pendingExchanges = 0;
            markReadWaiting();
        }
        return processed;
    }

    /** Downloads the next parallelRequests messages at the same time, each to its own spool file. */
    private List<Download> download(Queue<Object> exchanges) throws InterruptedException {
        List<java.util.concurrent.Future<Download>> futures = new java.util.ArrayList<>();
        while (!exchanges.isEmpty() && futures.size() < configuration.getParallelRequests()) {
            Exchange exchange = (Exchange) exchanges.poll();
            String id = exchange.getIn().getHeader(MsGraphMailConstants.MESSAGE_ID, String.class);
            futures.add(requests.submit(() -> {
                Path spool = null;
                try {
                    // createTempFile makes the file readable by its owner only (rw------- on POSIX): it holds mail
                    spool = Files.createTempFile("mailgate-graph-", ".eml");
                    client.download(id, spool);
                    return new Download(exchange, id, spool, null);
                } catch (Exception e) {
                    deleteQuietly(spool);
                    return new Download(exchange, id, null, e);
                }
            }));
        }
        List<Download> group = new java.util.ArrayList<>(futures.size());
        for (var future : futures) {
            try {
                group.add(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                group.add(new Download(null, null, null, e.getCause() instanceof Exception ex ? ex : e));
            }
        }
        return group;
    }

    private void process(Exchange exchange, String id, Path spool) throws IOException {
        InputStream mime = Files.newInputStream(spool);
        exchange.getIn().setBody(mime);
        exchange.getExchangeExtension().addOnCompletion(new MarkReadOnCompletion(id, spool, mime));
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing Graph message " + id, exchange, exchange.getException());
        }
    }

    /** Marks the completed messages read, parallelRequests at a time; a refused one is retried at the next poll. */
    private void markReadWaiting() {
        List<java.util.concurrent.Future<?>> marks = new java.util.ArrayList<>();
        String id;
        while ((id = toMarkRead.poll()) != null) {
            String message = id;
            Runnable mark = () -> {
                try {
                    client.markRead(message);
                } catch (GraphException e) {
                    if (e.status() != 404) {
                        pendingMarkRead.add(message);
                        LOG.warn("ms-graph-mail:{} message {} processed but not marked read yet ({}); will retry",
                                endpoint.getName(), message, e.getMessage());
                    }
                } catch (OAuthException | RuntimeException e) {
                    pendingMarkRead.add(message);
                    LOG.warn("ms-graph-mail:{} message {} processed but not marked read yet ({}); will retry",
                            endpoint.getName(), message, e.getMessage());
                }
            };
            if (requests == null) {
                mark.run();
            } else {
                marks.add(requests.submit(mark));
            }
        }
        for (var future : marks) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.debug("ms-graph-mail:{} marking read failed: {}", endpoint.getName(), e.getCause().toString());
            }
        }
    }

    private void deleteQuietly(Path spool) {
        if (spool != null) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.warn("ms-graph-mail:{} cannot delete spool file {}: {}", endpoint.getName(), spool, e.getMessage());
            }
        }
    }

    private void retryPendingMarkRead() throws GraphException, OAuthException {
        for (String id : List.copyOf(pendingMarkRead)) {
            try {
                client.markRead(id);
            } catch (GraphException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            pendingMarkRead.remove(id);
        }
    }

    /** Queues the message to be marked read only after the pipeline succeeded; always removes the spool file. */
    private final class MarkReadOnCompletion extends SynchronizationAdapter {
        private final String id;
        private final Path spool;
        private final InputStream mime;

        MarkReadOnCompletion(String id, Path spool, InputStream mime) {
            this.id = id;
            this.spool = spool;
            this.mime = mime;
        }

        @Override
        public void onComplete(Exchange exchange) {
            toMarkRead.add(id); // marked read after the current group of downloads, in parallel
            cleanUp();
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("ms-graph-mail:{} message {} failed; left unread", endpoint.getName(), id);
            cleanUp();
        }

        @Override
        public boolean allowHandover() {
            return false; // the mark-read belongs to this consumer's mailbox and client
        }

        private void cleanUp() {
            try {
                mime.close();
                Files.deleteIfExists(spool);
            } catch (IOException e) {
                LOG.warn("ms-graph-mail:{} cannot delete spool file {}: {}", endpoint.getName(), spool, e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "MsGraphMailMarkReadOnCompletion[" + id + "]";
        }
    }
}

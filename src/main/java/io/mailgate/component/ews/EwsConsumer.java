package io.mailgate.component.ews;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each poll finds the folder's unread items (oldest first), fetches them a few at a time (one GetItem for several
 * small messages, a large one alone) and hands them over one at a time. An item is marked read only when its
 * exchange completes; a failed exchange leaves it unread for the next poll. Completed items are marked read together
 * (one UpdateItem for up to markReadBatchSize) after the batch, or sooner when that many are waiting.
 *
 * <p>When Exchange throttles (ErrorServerBusy with BackOffMilliseconds, HTTP 503 with Retry-After), the client sends
 * no further request to it until the back-off has passed, as Microsoft asks: the batch stops, the rest stays unread,
 * and items already stored wait to be marked read at the start of the next poll. Other consumers are not affected.
 */
final class EwsConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EwsConsumer.class);

    private final EwsConfiguration configuration;
    private final Clock clock = Clock.systemUTC();
    /** Items whose exchange completed and that are not marked read yet; marked by the consumer's own thread. */
    private final Queue<EwsItem> toMarkRead = new ConcurrentLinkedQueue<>();
    private EwsClient client;
    private EwsFolder folder;

    EwsConsumer(EwsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        client = new EwsClient(configuration);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (client != null) {
            try {
                markReadWaiting();
            } catch (RuntimeException e) {
                LOG.debug("{}: marking read on stop failed: {}", key(), e.toString());
            }
            if (!toMarkRead.isEmpty()) {
                LOG.warn("{}: stopped before {} stored message(s) could be marked read; they will be delivered again"
                        + " and recognised as duplicates", key(), toMarkRead.size());
                toMarkRead.clear();
            }
            client.close();
            client = null;
        }
        folder = null;
    }

    /** When the mailbox may be polled again (Instant.MIN when not throttled). */
    Instant backOffUntil() {
        EwsClient current = client;
        return current == null ? Instant.MIN : current.throttledUntil();
    }

    private boolean throttled() {
        return clock.instant().isBefore(backOffUntil());
    }

    @Override
    protected int poll() throws Exception {
        if (throttled()) {
            LOG.debug("{}: throttled by Exchange, skipping the poll until {}", key(), backOffUntil());
            return 0;
        }
        markReadWaiting(); // before FindItem, so that stored messages are not found unread again
        if (throttled()) {
            return 0;
        }
        List<EwsItem> items;
        try {
            items = client.findUnread(folder(), configuration.getMaxMessagesPerPoll());
        } catch (EwsException e) {
            if (e.code() == EwsException.Code.THROTTLED) {
                logThrottled(e);
                return 0;
            }
            if (e.code() == EwsException.Code.FOLDER_NOT_FOUND) {
                folder = null; // renamed or moved: look it up again next time
            }
            throw e;
        }
        LOG.debug("{}: {} unread message(s) in {}", key(), items.size(), configuration.getFolder());
        return processBatch(new ArrayDeque<>(items));
    }

    private EwsFolder folder() {
        if (folder == null) {
            folder = client.resolveFolder();
        }
        return folder;
    }

    private void logThrottled(EwsException e) {
        LOG.warn("{}: Exchange is throttling this mailbox ({}); no request to it before {}", key(), e.getMessage(),
                backOffUntil());
    }

    @Override
    public int processBatch(Queue<Object> batch) throws Exception {
        int total = batch.size();
        int processed = 0;
        int index = 0;
        Path workDir = workDir();
        try {
            while (!batch.isEmpty() && isBatchAllowed() && !throttled()) {
                List<EwsItem> chunk = nextChunk(batch);
                List<Path> files;
                try {
                    files = fetch(chunk, workDir);
                } catch (EwsException e) {
                    if (e.code() == EwsException.Code.THROTTLED) {
                        logThrottled(e);
                        break; // the rest stay unread for a later poll
                    }
                    throw e;
                }
                for (int i = 0; i < chunk.size(); i++) {
                    Path file = files.get(i);
                    if (file == null) {
                        index++;
                        continue;
                    }
                    if (!isBatchAllowed()) {
                        EwsClient.deleteQuietly(file); // stopping: fetched but not handed over, so still unread
                        continue;
                    }
                    pendingExchanges = total - index - 1;
                    process(createExchange(chunk.get(i), file, index, total));
                    index++;
                    processed++;
                    if (toMarkRead.size() >= configuration.getMarkReadBatchSize()) {
                        markReadWaiting();
                    }
                }
            }
        } finally {
            pendingExchanges = 0;
            markReadWaiting();
        }
        return processed;
    }

    /** The next items to fetch together: at most fetchBatchSize, and fetchBatchBytes unless a message is larger alone. */
    private List<EwsItem> nextChunk(Queue<Object> batch) {
        List<EwsItem> chunk = new ArrayList<>();
        long bytes = 0;
        while (!batch.isEmpty() && chunk.size() < configuration.getFetchBatchSize()) {
            EwsItem next = (EwsItem) batch.peek();
            boolean unknown = next.size() < 0;
            if (!chunk.isEmpty() && (unknown || bytes + next.size() > configuration.getFetchBatchBytes())) {
                break;
            }
            chunk.add((EwsItem) batch.poll());
            bytes += Math.max(0, next.size());
            if (unknown) {
                break;
            }
        }
        return chunk;
    }

    /** One file per item (null: not delivered this time); several items with one GetItem when they are small. */
    private List<Path> fetch(List<EwsItem> chunk, Path workDir) {
        if (chunk.size() > 1) {
            try {
                return client.downloadMime(chunk, workDir);
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.THROTTLED) {
                    throw e;
                }
                // One item spoilt the batch (too large, refused, ...): each on its own says which.
                LOG.debug("{}: fetching {} messages together failed ({}); fetching them one at a time", key(),
                        chunk.size(), e.getMessage());
            }
        }
        List<Path> files = new ArrayList<>(chunk.size());
        try {
            for (EwsItem item : chunk) {
                files.add(fetchOne(item, workDir));
            }
        } catch (RuntimeException e) {
            files.forEach(f -> {
                if (f != null) {
                    EwsClient.deleteQuietly(f);
                }
            });
            throw e;
        }
        return files;
    }

    private Path fetchOne(EwsItem item, Path workDir) {
        if (throttled()) {
            return null; // no request until the back-off has passed; the item stays unread
        }
        try {
            return client.downloadMime(item, workDir);
        } catch (EwsException e) {
            if (e.code() == EwsException.Code.ITEM_NOT_FOUND) {
                LOG.debug("{}: item gone before it could be fetched (moved or deleted meanwhile)", key());
                return null;
            }
            if (e.code() == EwsException.Code.MESSAGE_TOO_LARGE) {
                LOG.warn("{}: skipping a message: {}; it stays unread", key(), e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private void process(Exchange exchange) {
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing an EWS message of " + key(), exchange,
                        exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * Marks the completed items read, markReadBatchSize per UpdateItem. Throttled: they wait for the next poll.
     * Any other failure: they stay unread, come again and the pipeline's dedup recognises them.
     */
    private void markReadWaiting() {
        EwsClient current = client;
        while (current != null && !toMarkRead.isEmpty() && !throttled()) {
            List<EwsItem> chunk = new ArrayList<>();
            EwsItem next;
            while (chunk.size() < configuration.getMarkReadBatchSize() && (next = toMarkRead.poll()) != null) {
                chunk.add(next);
            }
            try {
                current.markRead(chunk);
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.THROTTLED) {
                    toMarkRead.addAll(chunk);
                    logThrottled(e);
                    return;
                }
                LOG.warn("{}: could not mark {} message(s) read: {}", key(), chunk.size(), e.getMessage());
            }
        }
    }

    private Exchange createExchange(EwsItem item, Path file, int index, int total) {
        Exchange exchange = createExchange(false);
        // Already a StreamCache: Camel's stream caching keeps reading the file instead of copying it into memory.
        FileInputStreamCache body = new FileInputStreamCache(file.toFile());
        exchange.getIn().setBody(body);
        exchange.getIn().setHeader(EwsConstants.ITEM_ID, item.id());
        exchange.getIn().setHeader(EwsConstants.CHANGE_KEY, item.changeKey());
        exchange.getIn().setHeader(EwsConstants.MAILBOX, configuration.parsedMailbox().target());
        exchange.getIn().setHeader(EwsConstants.FOLDER_ID, folder == null ? null : folder.label());
        exchange.setProperty(Exchange.BATCH_INDEX, index);
        exchange.setProperty(Exchange.BATCH_SIZE, total);
        exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
        exchange.getExchangeExtension().addOnCompletion(new MarkReadOnCompletion(item, body, file));
        return exchange;
    }

    private Path workDir() throws java.io.IOException {
        Path dir = configuration.getWorkDir() == null || configuration.getWorkDir().isBlank()
                ? Paths.get(System.getProperty("java.io.tmpdir"))
                : Paths.get(configuration.getWorkDir());
        Files.createDirectories(dir);
        return dir;
    }

    private String key() {
        return configuration.getConnectionKey();
    }

    /** Queues the item to be marked read once the pipeline has taken the message; removes the temporary file either way. */
    private final class MarkReadOnCompletion implements Synchronization {
        private final EwsItem item;
        private final FileInputStreamCache body;
        private final Path file;

        MarkReadOnCompletion(EwsItem item, FileInputStreamCache body, Path file) {
            this.item = item;
            this.body = body;
            this.file = file;
        }

        @Override
        public void onComplete(Exchange exchange) {
            toMarkRead.add(item);
            cleanUp();
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("{}: processing failed; the message stays unread", key());
            cleanUp();
        }

        private void cleanUp() {
            body.close();
            EwsClient.deleteQuietly(file);
        }
    }
}

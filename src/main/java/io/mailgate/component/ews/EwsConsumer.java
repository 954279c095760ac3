package io.mailgate.component.ews;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each poll finds the folder's unread items (oldest first), then fetches and hands over one message at a time, so
 * at most one message is on disk per consumer. An item is marked read only when its exchange completes; a failed
 * exchange leaves it unread for the next poll. A throttled mailbox skips polls until the server's back-off has
 * passed; other consumers are not affected.
 */
final class EwsConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EwsConsumer.class);

    private final EwsConfiguration configuration;
    private final Clock clock = Clock.systemUTC();
    private EwsClient client;
    private EwsFolder folder;
    private volatile Instant backOffUntil = Instant.MIN;

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
            client.close();
            client = null;
        }
        folder = null;
    }

    /** When the mailbox may be polled again (Instant.MIN when not throttled). */
    Instant backOffUntil() {
        return backOffUntil;
    }

    @Override
    protected int poll() throws Exception {
        Instant now = clock.instant();
        if (now.isBefore(backOffUntil)) {
            LOG.debug("{}: throttled by Exchange, skipping the poll until {}", key(), backOffUntil);
            return 0;
        }
        List<EwsItem> items;
        try {
            items = client.findUnread(folder(), configuration.getMaxMessagesPerPoll());
        } catch (EwsException e) {
            if (e.code() == EwsException.Code.THROTTLED) {
                backOff(e);
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

    private void backOff(EwsException e) {
        Duration wait = e.backOff() != null ? e.backOff() : Duration.ofMillis(configuration.getThrottleBackOff());
        Duration max = Duration.ofMillis(configuration.getMaxThrottleBackOff());
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        backOffUntil = clock.instant().plus(wait);
        LOG.warn("{}: Exchange is throttling this mailbox ({}); next poll after {}", key(), e.getMessage(), backOffUntil);
    }

    @Override
    public int processBatch(Queue<Object> batch) throws Exception {
        int total = batch.size();
        int processed = 0;
        Path workDir = workDir();
        for (int index = 0; index < total && isBatchAllowed(); index++) {
            EwsItem item = (EwsItem) batch.poll();
            Path file;
            try {
                file = client.downloadMime(item, workDir);
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.THROTTLED) {
                    backOff(e);
                    break; // the rest stay unread for a later poll
                }
                if (e.code() == EwsException.Code.ITEM_NOT_FOUND) {
                    LOG.debug("{}: item gone before it could be fetched (moved or deleted meanwhile)", key());
                    continue;
                }
                if (e.code() == EwsException.Code.MESSAGE_TOO_LARGE) {
                    LOG.warn("{}: skipping a message: {}; it stays unread", key(), e.getMessage());
                    continue;
                }
                throw e;
            }
            pendingExchanges = total - index - 1;
            Exchange exchange = createExchange(item, file, index, total);
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
            processed++;
        }
        pendingExchanges = 0;
        return processed;
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

    /** Marks the item read once the pipeline has taken the message; removes the temporary file either way. */
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
            try {
                markRead();
            } finally {
                cleanUp();
            }
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("{}: processing failed; the message stays unread", key());
            cleanUp();
        }

        private void markRead() {
            EwsClient current = client;
            if (current == null) {
                LOG.warn("{}: stopped before a message could be marked read; it will be delivered again", key());
                return;
            }
            try {
                current.markRead(item);
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.ITEM_NOT_FOUND) {
                    LOG.debug("{}: item gone before it could be marked read", key());
                    return;
                }
                if (e.code() == EwsException.Code.THROTTLED) {
                    backOff(e);
                }
                // Stored but still unread: it comes again and the pipeline's dedup recognises it.
                LOG.warn("{}: could not mark a message read: {}", key(), e.getMessage());
            }
        }

        private void cleanUp() {
            body.close();
            EwsClient.deleteQuietly(file);
        }
    }
}

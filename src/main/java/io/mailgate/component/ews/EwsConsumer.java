package io.mailgate.component.ews;

import io.mailgate.component.mailbox.MailboxConsumer;
import io.mailgate.component.mailbox.PushModeListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each poll finds the folder's unread items (oldest first), fetches them a few at a time (one GetItem for several
 * small messages, a large one alone) and hands them over one at a time; {@link MailboxConsumer} marks an item read
 * (one UpdateItem for up to markReadBatchSize) only when its exchange completed, and leaves it unread when it failed.
 *
 * <p>When Exchange throttles (ErrorServerBusy with BackOffMilliseconds, HTTP 503 with Retry-After), the client sends
 * no further request to it until the back-off has passed, as Microsoft asks: the batch stops, the rest stays unread,
 * and items already stored wait to be marked read at the start of the next poll. Other consumers are not affected.
 */
final class EwsConsumer extends MailboxConsumer<EwsItem> {

    private static final Logger LOG = LoggerFactory.getLogger(EwsConsumer.class);

    private final EwsConfiguration configuration;
    private EwsClient client;
    private EwsFolder folder;
    private EwsStreamingListener streaming;
    private ExecutorService streamingThread;

    EwsConsumer(EwsEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        client = new EwsClient(configuration);
        super.doStart();
        PushModeListener modes = configuration.getPushModes() != null ? configuration.getPushModes() : NO_MODES;
        if (configuration.isStreaming()) {
            // its own client: a stream holds its connection for up to 29 minutes, and a client is not for two threads
            EwsConfiguration streamingConfiguration = configuration.copy();
            int minutes = configuration.getStreamingConnectionTimeout();
            streamingConfiguration.setSocketTimeout(Math.max(configuration.getSocketTimeout(), (minutes + 1) * 60_000));
            EwsClient streamingClient = new EwsClient(streamingConfiguration);
            streaming = new EwsStreamingListener(
                    name(),
                    streamingClient,
                    streamingClient::resolveFolder,
                    this::wakeUp,
                    modes,
                    minutes,
                    configuration.getStreamingRetryDelay(),
                    Math.max(1, getDelay() / 1000));
            streamingThread = getEndpoint()
                    .getCamelContext()
                    .getExecutorServiceManager()
                    .newSingleThreadExecutor(this, "ews-streaming");
            streamingThread.execute(streaming);
        } else {
            modes.mode(false, "push is off");
        }
    }

    private static final PushModeListener NO_MODES = new PushModeListener() {
        @Override
        public void mode(boolean push, String reason) {}

        @Override
        public void forget() {}
    };

    @Override
    protected void doStop() throws Exception {
        String subscription = null;
        if (streaming != null) {
            subscription = streaming.stop();
            streaming = null;
        }
        if (streamingThread != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(streamingThread);
            streamingThread = null;
        }
        if (configuration.getPushModes() != null) {
            configuration.getPushModes().forget();
        }
        super.doStop(); // marks read what completed, while the client is still open
        if (subscription != null && client != null) {
            try {
                client.unsubscribe(subscription);
            } catch (RuntimeException e) {
                LOG.debug(
                        "{}: Unsubscribe failed ({}); Exchange ends the subscription 30 minutes after its stream",
                        name(),
                        e.getMessage());
            }
        }
        if (client != null) {
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

    @Override
    protected Instant pausedUntil() {
        return backOffUntil();
    }

    // ---- list ----

    @Override
    protected List<EwsItem> listNew(int limit) {
        try {
            List<EwsItem> items = client.findUnread(folder(), limit);
            LOG.debug("{}: {} unread message(s) in {}", name(), items.size(), configuration.getFolder());
            return items;
        } catch (EwsException e) {
            if (e.code() == EwsException.Code.THROTTLED) {
                logThrottled(e);
                return List.of();
            }
            if (e.code() == EwsException.Code.FOLDER_NOT_FOUND) {
                folder = null; // renamed or moved: look it up again next time
            }
            throw e;
        }
    }

    private EwsFolder folder() {
        if (folder == null) {
            folder = client.resolveFolder();
        }
        return folder;
    }

    private void logThrottled(EwsException e) {
        LOG.warn(
                "{}: Exchange is throttling this mailbox ({}); no request to it before {}",
                name(),
                e.getMessage(),
                backOffUntil());
    }

    // ---- fetch ----

    /** The next items to fetch together: at most fetchBatchSize, and fetchBatchBytes unless a message is larger alone. */
    @Override
    protected List<EwsItem> nextGroup(Deque<EwsItem> queue) {
        List<EwsItem> chunk = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && chunk.size() < configuration.getFetchBatchSize()) {
            EwsItem next = queue.peek();
            boolean unknown = next.size() < 0;
            if (!chunk.isEmpty() && (unknown || bytes + next.size() > configuration.getFetchBatchBytes())) {
                break;
            }
            chunk.add(queue.poll());
            bytes += Math.max(0, next.size());
            if (unknown) {
                break;
            }
        }
        return chunk;
    }

    /** Several items with one GetItem when they are small; one at a time when that failed, to say which. */
    @Override
    protected List<Fetched<EwsItem>> fetch(List<EwsItem> chunk, Path workDir) {
        if (chunk.size() > 1) {
            try {
                List<Path> files = client.downloadMime(chunk, workDir);
                List<Fetched<EwsItem>> fetched = new ArrayList<>(chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    fetched.add(
                            files.get(i) == null
                                    ? Fetched.skipped(chunk.get(i))
                                    : Fetched.file(chunk.get(i), files.get(i)));
                }
                return fetched;
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.THROTTLED) {
                    logThrottled(e);
                    return chunk.stream().map(Fetched::throttled).toList();
                }
                // One item spoilt the batch (too large, refused, ...): each on its own says which.
                LOG.debug(
                        "{}: fetching {} messages together failed ({}); fetching them one at a time",
                        name(),
                        chunk.size(),
                        e.getMessage());
            }
        }
        List<Fetched<EwsItem>> fetched = new ArrayList<>(chunk.size());
        try {
            for (EwsItem item : chunk) {
                fetched.add(fetchOne(item, workDir));
            }
        } catch (RuntimeException e) {
            fetched.forEach(f -> deleteQuietly(f.file()));
            throw e;
        }
        return fetched;
    }

    private Fetched<EwsItem> fetchOne(EwsItem item, Path workDir) {
        if (paused()) {
            return Fetched.throttled(item); // no request until the back-off has passed; the item stays unread
        }
        try {
            return Fetched.file(item, client.downloadMime(item, workDir));
        } catch (EwsException e) {
            if (e.code() == EwsException.Code.THROTTLED) {
                logThrottled(e);
                return Fetched.throttled(item);
            }
            if (e.code() == EwsException.Code.ITEM_NOT_FOUND) {
                LOG.debug("{}: item gone before it could be fetched (moved or deleted meanwhile)", name());
                return Fetched.skipped(item);
            }
            if (e.code() == EwsException.Code.MESSAGE_TOO_LARGE) {
                LOG.warn("{}: skipping a message: {}; it stays unread", name(), e.getMessage());
                return Fetched.skipped(item);
            }
            throw e;
        }
    }

    // ---- mark read ----

    /**
     * markReadBatchSize items per UpdateItem. Throttled or refused: the rest wait for the next poll. An item Exchange
     * refused on its own while the others were marked comes again and the pipeline's dedup recognises it.
     */
    @Override
    protected MarkReadResult<EwsItem> markRead(List<EwsItem> items) {
        EwsClient current = client;
        for (int from = 0; from < items.size(); from += configuration.getMarkReadBatchSize()) {
            List<EwsItem> chunk =
                    items.subList(from, Math.min(items.size(), from + configuration.getMarkReadBatchSize()));
            if (current == null || paused()) {
                return new MarkReadResult<>(List.copyOf(items.subList(from, items.size())), null);
            }
            try {
                int refused = current.markRead(chunk);
                if (refused > 0) {
                    LOG.warn("{}: Exchange did not mark {} of {} message(s) read", name(), refused, chunk.size());
                }
            } catch (EwsException e) {
                if (e.code() == EwsException.Code.THROTTLED) {
                    logThrottled(e);
                }
                return new MarkReadResult<>(List.copyOf(items.subList(from, items.size())), e);
            }
        }
        return MarkReadResult.done();
    }

    @Override
    protected int markReadBatchSize() {
        return configuration.getMarkReadBatchSize();
    }

    // ---- exchange ----

    @Override
    protected String id(EwsItem item) {
        return item.id();
    }

    @Override
    protected void setHeaders(Exchange exchange, EwsItem item) {
        exchange.getIn().setHeader(EwsConstants.ITEM_ID, item.id());
        exchange.getIn().setHeader(EwsConstants.CHANGE_KEY, item.changeKey());
        exchange.getIn()
                .setHeader(EwsConstants.MAILBOX, configuration.parsedMailbox().target());
        exchange.getIn().setHeader(EwsConstants.FOLDER_ID, folder == null ? null : folder.label());
    }

    @Override
    protected Path spoolDirectory() throws IOException {
        Path dir =
                configuration.getWorkDir() == null || configuration.getWorkDir().isBlank()
                        ? Paths.get(System.getProperty("java.io.tmpdir"))
                        : Paths.get(configuration.getWorkDir());
        Files.createDirectories(dir);
        return dir;
    }

    @Override
    protected String name() {
        return configuration.getConnectionKey();
    }
}

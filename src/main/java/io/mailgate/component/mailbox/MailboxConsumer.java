package io.mailgate.component.mailbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.converter.stream.FileInputStreamCache;
import org.apache.camel.support.DefaultScheduledPollConsumerScheduler;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code ews:} and {@code ms-graph-mail:} consumers share: a poll lists the folder's new messages
 * ({@link #listNew}), fetches them a group at a time into spool files ({@link #fetch}), hands each to the route as a
 * {@link FileInputStreamCache} (never a byte array, never an open HTTP response), and marks it read
 * ({@link #markRead}) only once its exchange completed: {@code onComplete} queues it, {@code onFailure} leaves it
 * untouched (unread, delivered again at a later poll). Spool files are removed either way.
 *
 * <p>A message whose exchange completed but that could not be marked read (the server refused or was busy) is kept
 * and marked again at the start of the next poll, before anything is listed, and is not delivered again meanwhile:
 * it is stored already. Only when the consumer stops with such messages left are they delivered again later (and
 * recognised as duplicates by the pipeline).
 *
 * @param <M> a listed message: its id and what its headers need
 */
public abstract class MailboxConsumer<M> extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxConsumer.class);

    /** Completed, to be marked read when {@link #markReadBatchSize} wait, and at the end of the poll. */
    private final Queue<M> toMarkRead = new ConcurrentLinkedQueue<>();
    /** Completed, marking them read failed: marked again at the next poll, never delivered again meanwhile. */
    private final Map<String, M> markReadPending = new ConcurrentHashMap<>();

    protected final Clock clock = Clock.systemUTC();
    private final AtomicBoolean wakePending = new AtomicBoolean();

    protected MailboxConsumer(Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    // ---- what each source provides ----

    /** A name for logs: the connection key. */
    protected abstract String name();

    /** Until when the server asked for no request (throttling), or null. */
    protected abstract Instant pausedUntil();

    /** The folder's new (unread) messages, oldest first, at most {@code limit}; empty when the server is throttling. */
    protected abstract List<M> listNew(int limit) throws Exception;

    /** Takes the next group to fetch together from the head of {@code queue}. */
    protected abstract List<M> nextGroup(Deque<M> queue);

    /**
     * Fetches a group into spool files in {@code directory}: one {@link Fetched} per message, in order. A message
     * that cannot be fetched this time (gone, too large) is {@link Fetched#skipped}; when the server starts
     * throttling, the rest are {@link Fetched#throttled} and stay for a later poll.
     */
    protected abstract List<Fetched<M>> fetch(List<M> group, Path directory) throws Exception;

    /**
     * Marks the messages read, as many together as the server allows.
     *
     * @return the messages not marked read (the server refused or was busy), and why; a message that is gone counts
     *         as done
     */
    protected abstract MarkReadResult<M> markRead(List<M> messages);

    /** The message's id, unique in the mailbox. */
    protected abstract String id(M message);

    /** Sets the source's headers on a message's exchange. */
    protected abstract void setHeaders(Exchange exchange, M message);

    /** Where spool files go. */
    protected abstract Path spoolDirectory() throws IOException;

    /** How many completed messages are marked read together, before the poll's end. */
    protected abstract int markReadBatchSize();

    /**
     * The route completed the message (stored or quarantined it), before it is marked read; may run on the route's
     * thread. A source that must know which messages of a listing were taken (Graph's delta rounds) overrides it.
     */
    protected void completed(M message) {}

    /** The result of fetching one message: its spool file, or why there is none. */
    public record Fetched<M>(M message, Path file, boolean throttled) {
        public static <M> Fetched<M> file(M message, Path file) {
            return new Fetched<>(message, file, false);
        }

        public static <M> Fetched<M> skipped(M message) {
            return new Fetched<>(message, null, false);
        }

        public static <M> Fetched<M> throttled(M message) {
            return new Fetched<>(message, null, true);
        }
    }

    /** What {@link #markRead} could not do: the messages left unmarked, and the first failure (null when none). */
    public record MarkReadResult<M>(List<M> notMarked, Exception failure) {
        public static <M> MarkReadResult<M> done() {
            return new MarkReadResult<>(List.of(), null);
        }
    }

    // ---- the poll ----

    protected final boolean paused() {
        Instant until = pausedUntil();
        return until != null && clock.instant().isBefore(until);
    }

    @Override
    protected int poll() throws Exception {
        shutdownRunningTask = null;
        pendingExchanges = 0;
        if (paused()) {
            LOG.debug("{}: the server asked to wait until {}; skipping this poll", name(), pausedUntil());
            return 0;
        }
        markReadWaiting(); // completed after the last poll's groups (an asynchronous route)
        retryPendingMarkRead();
        if (paused()) {
            return 0;
        }
        List<M> listed = listNew(maxMessagesPerPoll > 0 ? maxMessagesPerPoll : Integer.MAX_VALUE);
        Queue<Object> batch = new ArrayDeque<>();
        for (M message : listed) {
            if (!markReadPending.containsKey(id(message))) {
                batch.add(message);
            }
        }
        LOG.debug("{}: {} new message(s)", name(), batch.size());
        return processBatch(batch);
    }

    @Override
    @SuppressWarnings("unchecked")
    public int processBatch(Queue<Object> batch) throws Exception {
        Deque<M> queue = new ArrayDeque<>();
        batch.forEach(m -> queue.add((M) m));
        int total = queue.size();
        int processed = 0;
        int index = 0;
        Path directory = spoolDirectory();
        try {
            while (!queue.isEmpty() && isBatchAllowed() && !paused()) {
                List<Fetched<M>> group = fetch(nextGroup(queue), directory);
                boolean throttled = false;
                for (Fetched<M> fetched : group) {
                    if (fetched.file() == null) {
                        throttled |= fetched.throttled();
                        index += fetched.throttled() ? 0 : 1;
                        continue;
                    }
                    if (throttled || !isBatchAllowed()) {
                        deleteQuietly(fetched.file()); // fetched but not handed over: still unread
                        continue;
                    }
                    pendingExchanges = total - index - 1;
                    deliver(fetched, index, total);
                    index++;
                    processed++;
                    if (toMarkRead.size() >= markReadBatchSize()) {
                        markReadWaiting();
                    }
                }
                if (throttled) {
                    break; // the rest stay unread for a poll after the back-off
                }
            }
        } finally {
            pendingExchanges = 0;
            markReadWaiting();
        }
        return processed;
    }

    private void deliver(Fetched<M> fetched, int index, int total) {
        Exchange exchange = createExchange(false);
        // Already a StreamCache: Camel's stream caching keeps reading the file instead of copying it into memory.
        FileInputStreamCache body = new FileInputStreamCache(fetched.file().toFile());
        exchange.getIn().setBody(body);
        setHeaders(exchange, fetched.message());
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, total);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == total - 1);
        exchange.getExchangeExtension()
                .addOnCompletion(new MarkReadOnCompletion(fetched.message(), body, fetched.file()));
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        try {
            if (exchange.getException() != null) {
                getExceptionHandler()
                        .handleException(
                                "Error processing message " + id(fetched.message()) + " of " + name(),
                                exchange,
                                exchange.getException());
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * A notification arrived (Graph, EWS streaming): poll now, on the consumer's own scheduler thread, so never two
     * polls at once; wakes arriving while one is queued are one. Backing off after errors or suspended, the consumer
     * stays as it is.
     */
    public final void wakeUp() {
        if (!isRunAllowed() || isSuspended()) {
            return;
        }
        ScheduledExecutorService scheduler = getScheduler() instanceof DefaultScheduledPollConsumerScheduler d
                ? d.getScheduledExecutorService()
                : null;
        if (scheduler == null || scheduler.isShutdown()) {
            return; // another scheduler (quartz, spring): the scheduled polls still come
        }
        if (wakePending.compareAndSet(false, true)) {
            try {
                scheduler.execute(() -> {
                    wakePending.set(false);
                    run();
                });
            } catch (RuntimeException rejected) {
                wakePending.set(false); // stopping
            }
        }
    }

    // ---- marking read ----

    /** Marks the completed messages read; those the server did not mark are kept for the next poll. */
    protected final void markReadWaiting() {
        List<M> waiting = new ArrayList<>();
        M next;
        while ((next = toMarkRead.poll()) != null) {
            waiting.add(next);
        }
        if (waiting.isEmpty()) {
            return;
        }
        MarkReadResult<M> result;
        try {
            result = markRead(waiting);
        } catch (RuntimeException e) {
            result = new MarkReadResult<>(waiting, e);
        }
        if (!result.notMarked().isEmpty()) {
            result.notMarked().forEach(m -> markReadPending.put(id(m), m));
            LOG.warn(
                    "{}: {} stored message(s) not marked read yet ({}); marked again at the next poll",
                    name(),
                    result.notMarked().size(),
                    result.failure() == null
                            ? "no reason given"
                            : result.failure().getMessage());
        }
    }

    /**
     * Marks again what could not be marked before. When none of them can be marked and the server is not merely
     * busy, the poll fails with the server's reason (a permission missing, say), so the connection's status shows it.
     */
    private void retryPendingMarkRead() throws Exception {
        if (markReadPending.isEmpty()) {
            return;
        }
        List<M> pending = List.copyOf(markReadPending.values());
        MarkReadResult<M> result = markRead(pending);
        pending.forEach(m -> markReadPending.remove(id(m)));
        result.notMarked().forEach(m -> markReadPending.put(id(m), m));
        if (result.failure() != null && result.notMarked().size() == pending.size() && !paused()) {
            throw result.failure();
        }
    }

    /** The messages stored but not marked read yet (for tests and the stop warning). */
    protected final int markReadPendingCount() {
        return markReadPending.size() + toMarkRead.size();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        try {
            markReadWaiting();
            if (!markReadPending.isEmpty()) {
                retryPendingMarkRead();
            }
        } catch (Exception e) {
            LOG.debug("{}: marking read on stop failed: {}", name(), e.toString());
        }
        if (markReadPendingCount() > 0) {
            LOG.warn(
                    "{}: stopped before {} stored message(s) could be marked read; they will be delivered again"
                            + " and recognised as duplicates",
                    name(),
                    markReadPendingCount());
            markReadPending.clear();
            toMarkRead.clear();
        }
    }

    protected final void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("{}: cannot delete spool file {}: {}", name(), file, e.getMessage());
            }
        }
    }

    /**
     * Queues the message to be marked read once the route has taken it (stored or quarantined); on failure leaves it
     * as it is, unread. Removes the spool file either way. Not handed over to another thread: the mark-read belongs
     * to this consumer's mailbox and client.
     */
    private final class MarkReadOnCompletion extends SynchronizationAdapter {
        private final M message;
        private final FileInputStreamCache body;
        private final Path file;

        MarkReadOnCompletion(M message, FileInputStreamCache body, Path file) {
            this.message = message;
            this.body = body;
            this.file = file;
        }

        @Override
        public void onComplete(Exchange exchange) {
            completed(message);
            toMarkRead.add(message);
            cleanUp();
        }

        @Override
        public void onFailure(Exchange exchange) {
            LOG.debug("{}: message {} failed; left unread", name(), id(message));
            cleanUp();
        }

        @Override
        public boolean allowHandover() {
            return false;
        }

        private void cleanUp() {
            body.close();
            deleteQuietly(file);
        }

        @Override
        public String toString() {
            return "MarkReadOnCompletion[" + id(message) + "]";
        }
    }
}

package io.mailgate.imap;

import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import io.mailgate.ingest.SourceBatch;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One poll drains the folder: {@code UID SEARCH UNSEEN UNDELETED}, then the unseen messages in rounds of
 * {@code maxMessagesPerPoll}, each round fetched in batches (many messages per {@code UID FETCH}, within a byte
 * budget; a large message streamed in chunks straight to its spool file). While the route works through one
 * batch, a shared worker fetches the next; a round's last batches are still in the route while the next round is
 * searched for and fetched. The messages of a batch go to the route all at once, asynchronously
 * (the pipeline parses them in parallel and commits them in groups, in UID order: {@link SourceBatch}). A message
 * is marked \Seen only once its exchange completed (stored or quarantined): the UIDs committed by a batch get one
 * {@code UID STORE}; a failed message stays unseen and is not tried again before the next poll. The folder stays open between polls and is never expunged.
 */
final class BatchImapConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger log = LoggerFactory.getLogger(BatchImapConsumer.class);
    /** Exchange property with the message's position, as the pipeline and the other sources name it. */
    static final String SOURCE_POSITION = "mailgateSourcePosition";

    /** IDLE failures in a row (IDLE refused, or the connection lost while idling) after which the source polls. */
    private static final int IDLE_FAILURES_BEFORE_POLLING = 3;
    /** How long a source that fell back to polling waits before it tries IDLE again. */
    private static final long IDLE_RETRY_AFTER_FALLBACK_MS = 10 * 60_000L;
    /**
     * Batches handed to the route and not yet finished (committed and marked \Seen) when the poll thread waits for
     * the oldest. With two, the workers parsed one batch while the committer stored the one before, and whichever
     * was done first waited for the other: thread dumps of a 10,000-message round on PostgreSQL found the workers
     * idle half the time and the committer waiting for a group a third of it. With three, two side-by-side runs of
     * bench/run.sh on H2 gave 9% and 15% more messages a second; on PostgreSQL, where the committer mostly waits for
     * the server, no change. What it costs: one more batch ({@code fetchMaxMessages}, {@code fetchMaxBytes}) spooled
     * and parsed ahead of its commit.
     */
    private static final int BATCHES_IN_FLIGHT = 3;
    /** Reconnect back-off after a lost connection: 1 s, 2 s, 4 s, ... up to this (and never beyond the poll). */
    private static final long MAX_RECONNECT_DELAY_MS = 60_000L;

    private final BatchImapEndpoint endpoint;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile Store store;
    private volatile IMAPFolder folder;
    private ImapCommands commands;
    /** Guarded by {@link #running}. */
    private int idleFailures;

    private long idleRetryAt;
    private long idleArmedAt;
    /** Set by the event thread when an idling connection was lost; counted under the lock by the next drain. */
    private final AtomicBoolean idleLost = new AtomicBoolean();

    private int reconnectFailures;
    private volatile boolean idling;
    private volatile ScheduledFuture<?> reconnect;
    private volatile ScheduledFuture<?> keepAlive;

    BatchImapConsumer(BatchImapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** A message fetched and spooled, ready for the route. */
    record Spooled(long uid, RawEmail raw) {}

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.isIdle()) {
            modes().poll(getRouteId(), "not connected yet");
            long every = endpoint.getIdleKeepAlive();
            // The check may wait for a socket timeout: it runs on the drain pool, not on the shared scheduler.
            keepAlive = endpoint.getComponent()
                    .workers()
                    .scheduler()
                    .scheduleWithFixedDelay(
                            () -> {
                                if (idling) {
                                    endpoint.getComponent().workers().wakers().execute(this::keepAlive);
                                }
                            },
                            every,
                            every,
                            TimeUnit.MILLISECONDS);
        } else {
            modes().poll(getRouteId(), "push is off");
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        cancel(keepAlive);
        cancel(reconnect);
        running.lock();
        try {
            disconnect();
        } finally {
            running.unlock();
        }
        modes().forget(getRouteId());
    }

    /** Scheduled polls and IDLE wake-ups take turns: one drain of a mailbox at a time. */
    @Override
    public void run() {
        running.lock();
        try {
            super.run();
        } finally {
            running.unlock();
        }
    }

    @Override
    protected int poll() throws Exception {
        int handed;
        idling = false;
        if (idleLost.getAndSet(false)) {
            idleFailed("IDLE failed: connection lost");
        }
        try {
            connect();
            handed = drain();
        } catch (Exception e) {
            // The connection may be half dead: start afresh, soon if the source is meant to idle.
            disconnect();
            if (endpoint.isIdle()) {
                scheduleReconnect(e);
            }
            throw e;
        }
        reconnectFailures = 0;
        cancel(reconnect);
        if (endpoint.isIdle()) {
            idle();
        }
        return handed;
    }

    /** Hands the open folder to the node's IDLE selector; the next command on the folder ends the IDLE. */
    private void idle() {
        if (!(store instanceof IMAPStore imapStore)) {
            return;
        }
        try {
            if (!imapStore.hasCapability("IDLE")) {
                modes().poll(getRouteId(), "server has no IDLE");
                return;
            }
            if (System.currentTimeMillis() < idleRetryAt) {
                return; // fell back to polling after repeated IDLE failures; the mode says so
            }
            endpoint.getComponent().workers().idleManager().watch(folder);
            idleArmedAt = System.currentTimeMillis();
            idling = true;
            modes().push(getRouteId());
            if (folder instanceof NonExpungingImapFolder watched && watched.hasUnreadResponses()) {
                // Mail that arrived after the drain's last search came with IDLE's continuation and waits in the
                // read buffer, where the selector cannot see it: look now instead of at the next notification.
                log.debug("{}: responses arrived with IDLE's continuation; draining again", describe());
                wake();
            }
        } catch (Exception e) {
            idleFailed("IDLE failed: " + e.getMessage());
        }
    }

    /**
     * IDLE was refused or its connection lost: after a few in a row the source stops trying for a while and
     * polls at its interval (the mode says why).
     */
    private void idleFailed(String reason) {
        idling = false;
        if (System.currentTimeMillis() - idleArmedAt > 60_000) {
            idleFailures = 0; // IDLE worked for a good while before this: not a failing server
        }
        idleFailures++;
        log.warn("{}: {} ({} in a row)", describe(), reason, idleFailures);
        if (idleFailures >= IDLE_FAILURES_BEFORE_POLLING) {
            idleRetryAt = System.currentTimeMillis() + IDLE_RETRY_AFTER_FALLBACK_MS;
            idleFailures = 0;
            modes().poll(
                            getRouteId(),
                            reason + " (" + IDLE_FAILURES_BEFORE_POLLING + " times in a row); polling every "
                                    + getDelay() / 1000 + " s, IDLE is tried again in "
                                    + IDLE_RETRY_AFTER_FALLBACK_MS / 60_000 + " min");
        } else {
            modes().poll(getRouteId(), reason);
        }
    }

    /**
     * A lost connection is tried again soon (1 s, 2 s, 4 s, ... at most a minute) rather than at the next poll,
     * which may be many minutes away; a poll that comes first does the same.
     */
    private void scheduleReconnect(Exception cause) {
        long wait = Math.min(MAX_RECONNECT_DELAY_MS, 1000L << Math.min(reconnectFailures, 16));
        reconnectFailures++;
        modes().poll(
                        getRouteId(),
                        "not connected (" + cause.getMessage() + "), next try in " + wait / 1000 + " s (attempt "
                                + reconnectFailures + ")");
        if (wait >= getDelay()) {
            return; // the scheduled poll comes first
        }
        cancel(reconnect);
        reconnect = endpoint.getComponent()
                .workers()
                .scheduler()
                .schedule(
                        () -> endpoint.getComponent().workers().wakers().execute(this::drainNow),
                        wait,
                        TimeUnit.MILLISECONDS);
    }

    /**
     * Proves an idling connection alive (a NOOP, which ends and thus renews the IDLE): a connection that died
     * silently (no FIN, no RST) is otherwise noticed only at the next poll. Skipped while a drain runs.
     */
    private void keepAlive() {
        if (!idling || !isRunAllowed() || isSuspended() || !running.tryLock()) {
            return;
        }
        try {
            if (!idling || commands == null) {
                return;
            }
            idling = false;
            try {
                commands.noop();
            } catch (Exception e) {
                idleFailed("IDLE failed: connection lost (" + e.getMessage() + ")");
                disconnect();
                wake(); // reconnects now, then with back-off
                return;
            }
            idleFailures = 0;
            idle();
        } catch (RuntimeException e) {
            log.debug("{}: keep-alive failed", describe(), e);
        } finally {
            running.unlock();
        }
    }

    /**
     * A drain outside the schedule (IDLE woke it up, or a reconnect is due), reported to the connection's state
     * like a poll; Camel's back-off of scheduled polls does not apply to it.
     */
    private void drainNow() {
        running.lock();
        try {
            if (!isRunAllowed() || isSuspended()) {
                return;
            }
            var strategy = getPollStrategy();
            if (!strategy.begin(this, getEndpoint())) {
                return; // e.g. waiting after a refused password
            }
            try {
                int handed = poll();
                strategy.commit(this, getEndpoint(), handed);
            } catch (Exception e) {
                log.warn("{}: {}", describe(), e.toString());
                strategy.rollback(this, getEndpoint(), 0, e);
            }
        } catch (Exception e) {
            log.warn("{}: drain failed", describe(), e);
        } finally {
            running.unlock();
        }
    }

    private static void cancel(ScheduledFuture<?> task) {
        if (task != null) {
            task.cancel(false);
        }
    }

    /**
     * IDLE reported something (new message, flag change, lost connection): drain now on a shared worker instead
     * of waiting for the poll. Wake-ups while one is pending fold into it.
     */
    private void wake() {
        if (!isRunAllowed()) {
            return;
        }
        modes().wokenUp(getRouteId());
        if (wakePending.compareAndSet(false, true)) {
            endpoint.getComponent().workers().wakers().execute(() -> {
                wakePending.set(false);
                drainNow();
            });
        }
    }

    private PushModes modes() {
        return endpoint.getComponent().modes();
    }

    private int drain() throws Exception {
        Set<Long> attempted = new HashSet<>();
        // Oldest first. Kept across rounds: the next round's SEARCH and first FETCH go out while the last batches
        // of this one are still parsed and committed, instead of the pipeline running dry every round.
        Deque<Handed> inFlight = new ArrayDeque<>();
        int handed = 0;
        try {
            while (isPollAllowed()) {
                List<Long> round = new ArrayList<>();
                // A message still in flight is unseen until its batch is finished: attempted keeps it out.
                for (long uid : commands.searchUnseen()) {
                    if (attempted.add(uid)) {
                        round.add(uid);
                        if (getMaxMessagesPerPoll() > 0 && round.size() >= getMaxMessagesPerPoll()) {
                            break;
                        }
                    }
                }
                if (round.isEmpty()) {
                    break;
                }
                handed += handRound(round, inFlight);
            }
        } catch (Exception e) {
            while (!inFlight.isEmpty()) {
                try {
                    finish(inFlight.removeFirst()); // what they committed is marked even so
                } catch (Exception also) {
                    e.addSuppressed(also);
                }
            }
            throw e;
        }
        while (!inFlight.isEmpty()) {
            finish(inFlight.removeFirst());
        }
        return handed;
    }

    /**
     * Fetches the round's batches (the next while the route takes the one before) and hands each to the route,
     * finishing the oldest batch in flight whenever {@link #BATCHES_IN_FLIGHT} are. Returns with the round's last
     * batches possibly still in flight; on an error, the caller finishes them.
     */
    private int handRound(List<Long> round, Deque<Handed> inFlight) throws Exception {
        long validity = commands.uidValidity();
        Map<Long, Long> sizes = commands.sizes(round);
        List<FetchPlan.Batch> batches =
                FetchPlan.of(round, sizes, endpoint.getFetchMaxMessages(), endpoint.getFetchMaxBytes());
        int handed = 0;
        CompletableFuture<List<Spooled>> next = fetchAsync(batches, 0, validity);
        for (int i = 0; i < batches.size(); i++) {
            List<Spooled> current = await(next);
            next = i + 1 < batches.size() && isPollAllowed() ? fetchAsync(batches, i + 1, validity) : null;
            try {
                Handed now = hand(
                        new ArrayDeque<>(current),
                        inFlight.isEmpty() ? null : inFlight.peekLast().order());
                handed += now.count();
                inFlight.addLast(now);
                while (inFlight.size() >= BATCHES_IN_FLIGHT) {
                    finish(inFlight.removeFirst());
                }
            } catch (Exception e) {
                discard(next);
                throw e;
            }
            if (next == null) {
                break;
            }
        }
        return handed;
    }

    /** Fetches and spools one batch on a shared worker, so the network works while the route does. */
    private CompletableFuture<List<Spooled>> fetchAsync(List<FetchPlan.Batch> batches, int index, long validity) {
        if (batches.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        FetchPlan.Batch batch = batches.get(index);
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return fetch(batch, validity);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                },
                endpoint.getComponent().workers().fetchers());
    }

    private List<Spooled> fetch(FetchPlan.Batch batch, long validity) throws Exception {
        RawSpool spool = endpoint.getSpool();
        List<Spooled> spooled = new ArrayList<>();
        try {
            if (batch.large()) {
                long uid = batch.uids().get(0);
                boolean[] found = {true};
                RawEmail raw = spool.spool(
                        out -> found[0] = commands.stream(uid, endpoint.getChunkBytes(), out), position(validity, uid));
                if (found[0]) {
                    spooled.add(new Spooled(uid, raw));
                } else {
                    Files.deleteIfExists(raw.file());
                }
                return spooled;
            }
            Map<Long, ByteArray> bodies = commands.bodies(batch.uids());
            for (long uid : batch.uids()) {
                ByteArray body = bodies.remove(uid);
                if (body == null) {
                    continue; // expunged meanwhile
                }
                spooled.add(new Spooled(
                        uid,
                        spool.spool(
                                out -> out.write(body.getBytes(), body.getStart(), body.getCount()),
                                position(validity, uid))));
            }
            return spooled;
        } catch (Exception | Error e) {
            delete(spooled);
            throw e;
        }
    }

    /** imap:UIDVALIDITY:UID identifies a message in a folder for good (RFC 3501 2.3.1.1). */
    static String position(long validity, long uid) {
        return "imap:" + validity + ":" + uid;
    }

    @Override
    public int processBatch(Queue<Object> batch) throws Exception {
        Handed handed = hand(batch, null);
        finish(handed);
        return handed.count();
    }

    /** A batch handed to the route: its order, the exchanges still in flight and the UIDs committed so far. */
    private record Handed(SourceBatch order, Phaser inFlight, List<Long> committed, int count) {}

    /**
     * Hands every message of the batch to the route at once, asynchronously: the pipeline decrypts and parses them
     * in parallel and its incident sink commits them in groups, in UID order, after the batch before (if it is
     * still in flight).
     */
    private Handed hand(Queue<Object> batch, SourceBatch after) {
        int total = batch.size();
        SourceBatch order = new SourceBatch(total, after);
        List<Long> committed = Collections.synchronizedList(new ArrayList<>());
        Phaser inFlight = new Phaser(1);
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        int index = 0;
        int handed = 0;
        try {
            while (!batch.isEmpty()) {
                Spooled message = (Spooled) batch.poll();
                int position = index++;
                if (!isBatchAllowed()) {
                    deleteQuietly(message);
                    order.finished(position); // never handed: holds none of the others back
                    continue;
                }
                pendingExchanges = batch.size();
                Exchange exchange = createExchange(message, position, total, order);
                inFlight.register();
                handed++;
                try {
                    getAsyncProcessor()
                            .process(
                                    exchange,
                                    doneSync -> completed(exchange, message, position, order, committed, inFlight));
                } catch (RuntimeException e) {
                    exchange.setException(e);
                    completed(exchange, message, position, order, committed, inFlight);
                } finally {
                    // The exchange completes on another thread: this shared poll thread must not keep its MDC.
                    restore(mdc);
                }
            }
        } finally {
            pendingExchanges = 0;
            batch.forEach(left -> deleteQuietly((Spooled) left));
        }
        return new Handed(order, inFlight, committed, handed);
    }

    /**
     * Waits until every exchange of the batch completed (stored or quarantined after its group's commit, or
     * failed), then marks the committed ones \Seen with one {@code UID STORE}.
     */
    private void finish(Handed handed) throws Exception {
        handed.inFlight().awaitAdvanceInterruptibly(handed.inFlight().arrive());
        markSeen(handed.committed());
    }

    private static void restore(Map<String, String> mdc) {
        if (mdc == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(mdc);
        }
    }

    private void completed(
            Exchange exchange,
            Spooled message,
            int position,
            SourceBatch order,
            List<Long> committed,
            Phaser inFlight) {
        try {
            if (exchange.getException() != null || exchange.isRollbackOnly()) {
                getExceptionHandler()
                        .handleException(
                                "Error processing a message of " + describe() + "; it stays unseen",
                                exchange,
                                exchange.getException());
            } else {
                committed.add(message.uid());
            }
        } finally {
            order.finished(position);
            releaseExchange(exchange, false);
            inFlight.arriveAndDeregister();
        }
    }

    private Exchange createExchange(Spooled message, int index, int total, SourceBatch order) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(message.raw());
        exchange.setProperty(SOURCE_POSITION, message.raw().sourcePosition());
        exchange.setProperty(Exchange.BATCH_INDEX, index);
        exchange.setProperty(Exchange.BATCH_SIZE, total);
        exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
        exchange.setProperty(SourceBatch.PROPERTY, order);
        RawSpool.deleteOnCompletion(exchange, message.raw().file());
        return exchange;
    }

    private void markSeen(List<Long> committed) throws MessagingException {
        if (committed.isEmpty()) {
            return;
        }
        // Stored but not yet marked: if this fails the messages come again and dedup (source position) knows them.
        commands.markSeen(List.copyOf(committed));
        log.debug("{}: marked {} message(s) \\Seen", describe(), committed.size());
    }

    private void connect() throws MessagingException {
        if (folder != null && folder.isOpen() && store.isConnected()) {
            return;
        }
        disconnect();
        Store newStore = endpoint.connectSession().getStore();
        newStore.connect(endpoint.getHost(), endpoint.getPort() > 0 ? endpoint.getPort() : -1, null, null);
        store = newStore;
        IMAPFolder newFolder = (IMAPFolder) store.getFolder(endpoint.getFolderName());
        newFolder.open(Folder.READ_WRITE);
        folder = newFolder;
        commands = new ImapCommands(folder);
        if (endpoint.isIdle()) {
            listen(newFolder);
        }
    }

    /** The folder's news (read by the IDLE selector, or with a command's responses) wakes the drain up. */
    private void listen(IMAPFolder watched) {
        if (!(watched instanceof NonExpungingImapFolder ours)) {
            return;
        }
        ours.tellNews(new NonExpungingImapFolder.News() {
            @Override
            public void changed() {
                // New mail, or another client marking a message unread makes it ours to take: worth a search.
                wake();
            }

            @Override
            public void lost() {
                if (watched == folder && idling) {
                    // Not closed by us: the server or the network dropped the connection while idling.
                    idleLost.set(true);
                    modes().poll(getRouteId(), "IDLE failed: connection lost, reconnecting");
                    wake();
                }
            }
        });
    }

    private void disconnect() {
        IMAPFolder closing = folder;
        Store closingStore = store;
        // Cleared first, so that the folder's own "closed" event is known to be ours.
        folder = null;
        store = null;
        commands = null;
        if (closing != null) {
            try {
                if (closing.isOpen()) {
                    closing.close(false); // never expunge
                }
            } catch (Exception e) {
                log.debug("{}: closing the folder failed", describe(), e);
            }
        }
        if (closingStore != null) {
            try {
                closingStore.close();
            } catch (Exception e) {
                log.debug("{}: closing the connection failed", describe(), e);
            }
        }
    }

    private List<Spooled> await(CompletableFuture<List<Spooled>> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void discard(CompletableFuture<List<Spooled>> future) {
        if (future != null) {
            future.whenComplete((spooled, failure) -> {
                if (spooled != null) {
                    delete(spooled);
                }
            });
        }
    }

    private static void delete(List<Spooled> spooled) {
        spooled.forEach(BatchImapConsumer::deleteQuietly);
    }

    private static void deleteQuietly(Spooled message) {
        try {
            Files.deleteIfExists(message.raw().file());
        } catch (IOException ignored) {
            // cleaned at the next start
        }
    }

    private String describe() {
        return endpoint.getHost() + "/" + endpoint.getFolderName();
    }
}

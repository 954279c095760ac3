package io.mailgate.imap;

import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import jakarta.mail.event.ConnectionAdapter;
import jakarta.mail.event.ConnectionEvent;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll drains the folder: {@code UID SEARCH UNSEEN UNDELETED}, then the unseen messages in rounds of
 * {@code maxMessagesPerPoll}, each round fetched in batches (many messages per {@code UID FETCH}, within a byte
 * budget; a large message streamed in chunks straight to its spool file). While the route works through one
 * batch, a shared worker fetches the next. A message is marked \Seen only once its exchange completed (stored or
 * quarantined): the UIDs committed by a batch get one {@code UID STORE}; a failed message stays unseen and is
 * not tried again before the next poll. The folder stays open between polls and is never expunged.
 */
final class BatchImapConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger log = LoggerFactory.getLogger(BatchImapConsumer.class);
    /** Exchange property with the message's position, as the pipeline and the other sources name it. */
    static final String SOURCE_POSITION = "mailgateSourcePosition";

    /** IDLE failures in a row after which the connection reports that it polls. */
    private static final int IDLE_FAILURES_BEFORE_POLLING = 3;

    private final BatchImapEndpoint endpoint;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile Store store;
    private volatile IMAPFolder folder;
    private ImapCommands commands;
    private int idleFailures;

    BatchImapConsumer(BatchImapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** A message fetched and spooled, ready for the route. */
    record Spooled(long uid, RawEmail raw) {
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.isIdle()) {
            modes().poll(getRouteId(), "not connected yet");
        } else {
            modes().poll(getRouteId(), "push is off");
        }
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
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
        try {
            connect();
            handed = drain();
        } catch (Exception e) {
            // The connection may be half dead: start afresh at the next poll.
            disconnect();
            if (endpoint.isIdle()) {
                modes().poll(getRouteId(), "poll failed, IDLE resumes after the next successful poll");
            }
            throw e;
        }
        if (endpoint.isIdle()) {
            idle();
        }
        return handed;
    }

    /** Hands the open folder to the node's IDLE selector; the next command on the folder ends the IDLE. */
    private void idle() {
        if (!(store instanceof org.eclipse.angus.mail.imap.IMAPStore imapStore)) {
            return;
        }
        try {
            if (!imapStore.hasCapability("IDLE")) {
                modes().poll(getRouteId(), "server has no IDLE");
                return;
            }
            endpoint.getComponent().workers().idleManager().watch(folder);
            idleFailures = 0;
            modes().push(getRouteId());
        } catch (Exception e) {
            idleFailures++;
            log.warn("{}: cannot IDLE ({} in a row): {}", describe(), idleFailures, e.toString());
            if (idleFailures >= IDLE_FAILURES_BEFORE_POLLING) {
                modes().poll(getRouteId(), "IDLE failed: " + e.getMessage());
            }
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
                if (isRunAllowed() && !isSuspended()) {
                    run();
                }
            });
        }
    }

    private PushModes modes() {
        return endpoint.getComponent().modes();
    }

    private int drain() throws Exception {
        Set<Long> attempted = new HashSet<>();
        int handed = 0;
        while (isPollAllowed()) {
            List<Long> round = new ArrayList<>();
            for (long uid : commands.searchUnseen()) {
                if (attempted.add(uid)) {
                    round.add(uid);
                    if (getMaxMessagesPerPoll() > 0 && round.size() >= getMaxMessagesPerPoll()) {
                        break;
                    }
                }
            }
            if (round.isEmpty()) {
                return handed;
            }
            handed += handRound(round);
        }
        return handed;
    }

    private int handRound(List<Long> round) throws Exception {
        long validity = commands.uidValidity();
        Map<Long, Long> sizes = commands.sizes(round);
        List<FetchPlan.Batch> batches = FetchPlan.of(round, sizes, endpoint.getFetchMaxMessages(),
                endpoint.getFetchMaxBytes());
        int handed = 0;
        CompletableFuture<List<Spooled>> next = fetchAsync(batches, 0, validity);
        for (int i = 0; i < batches.size(); i++) {
            List<Spooled> current = await(next);
            next = i + 1 < batches.size() && isPollAllowed() ? fetchAsync(batches, i + 1, validity) : null;
            try {
                handed += processBatch(new ArrayDeque<>(current));
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
        return CompletableFuture.supplyAsync(() -> {
            try {
                return fetch(batch, validity);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, endpoint.getComponent().workers().fetchers());
    }

    private List<Spooled> fetch(FetchPlan.Batch batch, long validity) throws Exception {
        RawSpool spool = endpoint.getSpool();
        List<Spooled> spooled = new ArrayList<>();
        try {
            if (batch.large()) {
                long uid = batch.uids().get(0);
                boolean[] found = {true};
                RawEmail raw = spool.spool(out -> found[0] = commands.stream(uid, endpoint.getChunkBytes(), out),
                        position(validity, uid));
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
                spooled.add(new Spooled(uid, spool.spool(out -> out.write(body.getBytes(), body.getStart(),
                        body.getCount()), position(validity, uid))));
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
        int total = batch.size();
        List<Long> committed = Collections.synchronizedList(new ArrayList<>());
        int index = 0;
        try {
            while (!batch.isEmpty()) {
                Spooled message = (Spooled) batch.poll();
                if (!isBatchAllowed()) {
                    deleteQuietly(message);
                    continue;
                }
                pendingExchanges = batch.size();
                Exchange exchange = createExchange(message, index++, total, committed);
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                try {
                    if (exchange.getException() != null) {
                        getExceptionHandler().handleException("Error processing a message of " + describe()
                                + "; it stays unseen", exchange, exchange.getException());
                    }
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        } finally {
            pendingExchanges = 0;
            batch.forEach(left -> deleteQuietly((Spooled) left));
        }
        markSeen(committed);
        return index;
    }

    private Exchange createExchange(Spooled message, int index, int total, List<Long> committed) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(message.raw());
        exchange.setProperty(SOURCE_POSITION, message.raw().sourcePosition());
        exchange.setProperty(Exchange.BATCH_INDEX, index);
        exchange.setProperty(Exchange.BATCH_SIZE, total);
        exchange.setProperty(Exchange.BATCH_COMPLETE, index == total - 1);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                committed.add(message.uid());
            }
        });
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

    /** Events of this folder (dispatched on the node's one event thread) wake the drain up. */
    private void listen(IMAPFolder watched) {
        watched.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
                wake();
            }
        });
        // Another client marking a message unread makes it ours to take: a flag change is worth a search.
        watched.addMessageChangedListener(e -> wake());
        watched.addConnectionListener(new ConnectionAdapter() {
            @Override
            public void closed(ConnectionEvent e) {
                if (watched == folder) {
                    // Not closed by us: the server or the network dropped the connection while idling.
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

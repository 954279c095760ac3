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
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll drains the folder: {@code UID SEARCH UNSEEN}, then the unseen messages in rounds of
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

    private final BatchImapEndpoint endpoint;
    private Store store;
    private IMAPFolder folder;
    private ImapCommands commands;

    BatchImapConsumer(BatchImapEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** A message fetched and spooled, ready for the route. */
    record Spooled(long uid, RawEmail raw) {
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        disconnect();
    }

    @Override
    protected int poll() throws Exception {
        try {
            connect();
            return drain();
        } catch (Exception e) {
            // The connection may be half dead: start afresh at the next poll.
            disconnect();
            throw e;
        }
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
    }

    private void disconnect() {
        if (folder != null) {
            try {
                if (folder.isOpen()) {
                    folder.close(false); // never expunge
                }
            } catch (Exception e) {
                log.debug("{}: closing the folder failed", describe(), e);
            }
        }
        if (store != null) {
            try {
                store.close();
            } catch (Exception e) {
                log.debug("{}: closing the connection failed", describe(), e);
            }
        }
        folder = null;
        store = null;
        commands = null;
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

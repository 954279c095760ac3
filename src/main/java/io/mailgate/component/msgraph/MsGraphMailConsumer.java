package io.mailgate.component.msgraph;

import io.mailgate.component.mailbox.MailboxConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the folder's unread messages by delta query (each round asks Graph only for what changed since the last;
 * {@code deltaSync=false} lists the unread messages every poll instead), and, given a push channel, keeps a
 * change-notification subscription so that a new message is read at once rather than at the next poll. Each
 * becomes an exchange whose body is the raw MIME, downloaded to a spool file first, so neither a large message sits
 * in memory nor an HTTP connection stays open while the route runs.
 * {@link MailboxConsumer} marks a message read only when its exchange completed and leaves it unread when it failed.
 *
 * <p>Downloads run {@code parallelRequests} (at most 4, Exchange Online's concurrency per mailbox) at a time, ahead
 * of the route, which still takes the messages one by one in order; completed messages are marked read together,
 * in parallel, after each such group.
 */
final class MsGraphMailConsumer extends MailboxConsumer<GraphMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(MsGraphMailConsumer.class);

    private final MsGraphMailEndpoint endpoint;
    private final MsGraphMailConfiguration configuration;
    private MsGraphMailClient client;
    private volatile GraphFolder folder;
    private ExecutorService requests;

    // ---- delta rounds: the round's unread messages not yet listed, those not yet taken, and its closing link ----
    private final Deque<GraphMessage> backlog = new ArrayDeque<>();
    private final Set<String> roundOpen = ConcurrentHashMap.newKeySet();
    private String roundLink;
    private GraphDeltaStore deltaStore;

    // ---- change notifications ----
    private ScheduledExecutorService upkeep;
    private GraphSubscriptionKeeper keeper;

    MsGraphMailConsumer(MsGraphMailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
    }

    @Override
    protected void doStart() throws Exception {
        client = endpoint.createClient();
        folder = null;
        requests = getEndpoint()
                .getCamelContext()
                .getExecutorServiceManager()
                .newFixedThreadPool(this, "ms-graph-mail-requests", configuration.getParallelRequests());
        deltaStore = configuration.getDeltaStore() != null ? configuration.getDeltaStore() : GraphDeltaStore.inMemory();
        backlog.clear();
        roundOpen.clear();
        roundLink = null;
        super.doStart();
        GraphPushChannel channel = configuration.getPushChannel();
        if (channel != null) {
            upkeep = getEndpoint()
                    .getCamelContext()
                    .getExecutorServiceManager()
                    .newSingleThreadScheduledExecutor(this, "ms-graph-mail-subscription");
            keeper = new GraphSubscriptionKeeper(
                    name(),
                    () -> client,
                    this::folderIdForSubscription,
                    channel,
                    this::wakeUp,
                    Duration.ofMinutes(configuration.getSubscriptionLifetimeMinutes()),
                    Duration.ofMillis(configuration.getSubscriptionRetryDelay()),
                    Math.max(1, getDelay() / 1000),
                    upkeep);
            keeper.start();
        }
    }

    /** The folder's id for the subscription, resolved here when no poll has yet. */
    private String folderIdForSubscription() {
        GraphFolder known = folder;
        if (known != null) {
            return known.id();
        }
        try {
            return client.resolveFolder(configuration.getFolder()).id();
        } catch (GraphException | GraphTokenException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (keeper != null) {
            keeper.stop(); // deletes the subscription while the client is still there
            keeper = null;
        }
        if (upkeep != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(upkeep);
            upkeep = null;
        }
        super.doStop(); // marks read what completed, while the client and its threads are still there
        if (requests != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdown(requests);
            requests = null;
        }
        endpoint.releaseClient(client);
    }

    @Override
    protected Instant pausedUntil() {
        return client == null ? null : client.throttledUntil();
    }

    // ---- list ----

    @Override
    protected List<GraphMessage> listNew(int limit) throws Exception {
        try {
            if (folder == null) {
                folder = client.resolveFolder(configuration.getFolder());
            }
            if (configuration.isDeltaSync()) {
                return nextOfRound(limit);
            }
            List<GraphMessage> messages = client.listUnread(folder.id(), configuration.getPageSize(), limit);
            LOG.debug("ms-graph-mail:{} found {} unread messages in {}", name(), messages.size(), folder.displayName());
            return messages;
        } catch (GraphThrottledException e) {
            return List.of(); // already logged by the client; the next polls are skipped until Retry-After has passed
        } catch (GraphException e) {
            if (e.status() == 404) {
                folder = null; // the folder may have been renamed or recreated: resolve it again next time
                backlog.clear();
                roundOpen.clear();
                roundLink = null;
            }
            throw e;
        }
    }

    // ---- delta rounds ----

    /**
     * The next messages of the current delta round, starting one when none is open. A round's closing link is
     * stored only once every unread message of the round was taken (stored or quarantined, or gone): when one failed
     * or was left for later (throttling, a stop), the next round starts again from the link before, and Graph
     * reports the round's messages again; those marked read meanwhile come back read and are left out.
     */
    private List<GraphMessage> nextOfRound(int limit) throws GraphException, GraphTokenException {
        if (roundLink == null) {
            String folderId = folder.id();
            String link = deltaStore.deltaLink(folderId);
            GraphDelta delta;
            try {
                delta = client.delta(folderId, link, configuration.getPageSize());
            } catch (GraphException e) {
                if (link == null || !MsGraphMailClient.isSyncReset(e)) {
                    throw e;
                }
                LOG.info(
                        "ms-graph-mail:{} Graph no longer knows the folder's delta link ({}); reading the folder from"
                                + " the start (what was stored already is recognised as a duplicate)",
                        name(),
                        e.getMessage());
                deltaStore.clear(folderId);
                delta = client.delta(folderId, null, configuration.getPageSize());
            }
            backlog.clear();
            backlog.addAll(delta.unread());
            roundOpen.clear();
            delta.unread().forEach(m -> roundOpen.add(m.id()));
            roundLink = delta.deltaLink();
            LOG.debug(
                    "ms-graph-mail:{} delta round: {} unread new or changed in {}",
                    name(),
                    backlog.size(),
                    folder.displayName());
        }
        List<GraphMessage> next = new ArrayList<>();
        while (!backlog.isEmpty() && next.size() < limit) {
            next.add(backlog.poll());
        }
        return next;
    }

    /** After each poll: a round whose messages were all listed ends, its link stored only when all were taken. */
    private void endRoundIfListed() {
        if (roundLink == null || !backlog.isEmpty()) {
            return;
        }
        GraphFolder current = folder;
        if (roundOpen.isEmpty() && current != null) {
            deltaStore.save(current.id(), roundLink);
        } else if (!roundOpen.isEmpty()) {
            LOG.debug(
                    "ms-graph-mail:{} {} message(s) of the delta round not taken; the next round starts from the"
                            + " same link",
                    name(),
                    roundOpen.size());
        }
        roundOpen.clear();
        roundLink = null;
    }

    @Override
    protected int poll() throws Exception {
        try {
            return super.poll();
        } finally {
            endRoundIfListed();
            if (!backlog.isEmpty() && !paused() && keeper != null && keeper.subscribed()) {
                wakeUp(); // pushed to: the rest of a large round now, not at the next poll
            }
        }
    }

    @Override
    protected void completed(GraphMessage message) {
        roundOpen.remove(message.id());
    }

    // ---- fetch ----

    @Override
    protected List<GraphMessage> nextGroup(Deque<GraphMessage> queue) {
        List<GraphMessage> group = new ArrayList<>();
        while (!queue.isEmpty() && group.size() < configuration.getParallelRequests()) {
            group.add(queue.poll());
        }
        return group;
    }

    /** Downloads the group at the same time, each message to its own spool file. */
    @Override
    protected List<Fetched<GraphMessage>> fetch(List<GraphMessage> group, Path directory) throws Exception {
        List<Future<Fetched<GraphMessage>>> futures = new ArrayList<>();
        for (GraphMessage message : group) {
            futures.add(requests.submit(() -> download(message, directory)));
        }
        List<Fetched<GraphMessage>> fetched = new ArrayList<>(group.size());
        Exception failure = null;
        for (Future<Fetched<GraphMessage>> future : futures) {
            try {
                fetched.add(future.get());
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        if (failure != null) {
            fetched.forEach(f -> deleteQuietly(f.file()));
            throw failure;
        }
        return fetched;
    }

    private Fetched<GraphMessage> download(GraphMessage message, Path directory) throws Exception {
        Path spool = null;
        try {
            // createTempFile makes the file readable by its owner only (rw------- on POSIX): it holds mail
            spool = Files.createTempFile(directory, "mailgate-graph-", ".eml");
            client.download(message.id(), spool);
            return Fetched.file(message, spool);
        } catch (GraphThrottledException e) {
            deleteQuietly(spool);
            return Fetched.throttled(message); // the rest waits for the next poll after Retry-After
        } catch (GraphException e) {
            deleteQuietly(spool);
            if (e.status() == 404) {
                LOG.info(
                        "ms-graph-mail:{} message {} is gone (moved or deleted) before it was read; skipped",
                        name(),
                        message.id());
                roundOpen.remove(message.id());
                return Fetched.skipped(message);
            }
            throw e;
        } catch (Exception e) {
            deleteQuietly(spool);
            throw e;
        }
    }

    // ---- mark read ----

    /** parallelRequests PATCHes at a time; a message gone meanwhile counts as done. */
    @Override
    protected MarkReadResult<GraphMessage> markRead(List<GraphMessage> messages) {
        List<Future<Exception>> marks = new ArrayList<>();
        for (GraphMessage message : messages) {
            if (requests == null) {
                marks.add(CompletableFuture.completedFuture(markOne(message)));
            } else {
                marks.add(requests.submit(() -> markOne(message)));
            }
        }
        List<GraphMessage> notMarked = new ArrayList<>();
        Exception first = null;
        for (int i = 0; i < marks.size(); i++) {
            Exception failure;
            try {
                failure = marks.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof Exception ex ? ex : e;
            }
            if (failure != null) {
                notMarked.add(messages.get(i));
                first = first == null ? failure : first;
            }
        }
        return new MarkReadResult<>(notMarked, first);
    }

    /** Null when marked read (or gone), else why not. */
    private Exception markOne(GraphMessage message) {
        try {
            client.markRead(message.id());
            return null;
        } catch (GraphException e) {
            return e.status() == 404 ? null : e;
        } catch (GraphTokenException | RuntimeException e) {
            return e;
        }
    }

    @Override
    protected int markReadBatchSize() {
        return configuration.getParallelRequests();
    }

    // ---- exchange ----

    @Override
    protected String id(GraphMessage message) {
        return message.id();
    }

    @Override
    protected void setHeaders(Exchange exchange, GraphMessage message) {
        exchange.getIn().setHeader(MsGraphMailConstants.MESSAGE_ID, message.id());
        exchange.getIn().setHeader(MsGraphMailConstants.INTERNET_MESSAGE_ID, message.internetMessageId());
        exchange.getIn().setHeader(MsGraphMailConstants.MAILBOX, client.mailbox());
        exchange.getIn().setHeader(MsGraphMailConstants.FOLDER_ID, folder == null ? null : folder.id());
        exchange.getIn().setHeader(MsGraphMailConstants.RECEIVED_DATE_TIME, message.receivedDateTime());
    }

    @Override
    protected Path spoolDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    protected String name() {
        return endpoint.getName();
    }
}

package io.mailgate.pipeline;

import io.mailgate.incident.ChangeSequencer;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.SourceBatch;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the incident sink: messages that reach it queue here, and one committer thread runs the sink
 * (dedup, link, store) for up to {@link Limits#maxMessages()} of them (and {@link Limits#maxBytes()}) inside ONE
 * transaction, so many messages share one commit (one fsync) and one change-feed pass. The sink steps of a later
 * message see what the earlier ones of the group wrote (same transaction, flushed after each message): a second copy
 * of a message is a DUPLICATE, a reply links to the incident the first one created.
 *
 * <p>Order: messages of one {@link SourceBatch} are taken in source order (a message waits until every one before
 * it was taken or finished elsewhere); others in arrival order. A group is what is ready now, except that while
 * more messages of the group's source batch are still being decrypted and parsed, the committer waits for them up
 * to {@code linger} (or until the group is full): every commit writes each changed database page again, so on a
 * busy machine fewer, larger groups leave more CPU for the workers. A message sent alone (push, EWS, Graph) or the
 * last of its batch is stored at once.
 *
 * <p>One bad message never fails the others: if anything in the group fails (a step's error, a rejected message,
 * a unique index, the commit), the group is rolled back and each of its messages runs the sink alone, each store
 * in its own transaction, exactly as without group commit; the bad one fails or is quarantined by itself.
 * Exchanges complete (and their sources may mark them read) only after their commit returned.
 */
final class GroupCommitter {

    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /**
     * What the committers of one component did: groups committed whole, their messages, messages run alone (each
     * store its own transaction), groups rolled back. {@link GroupCommitMetrics} publishes them.
     */
    static final class Stats {
        final AtomicLong groups = new AtomicLong();
        final AtomicLong grouped = new AtomicLong();
        final AtomicLong alone = new AtomicLong();
        final AtomicLong rolledBack = new AtomicLong();
    }

    /**
     * How large a group may grow, and how long the committer waits for more of a source batch.
     *
     * @param maxMessages messages per transaction
     * @param maxBytes raw bytes of the messages per transaction; a message larger than this is stored alone. It bounds
     *     what one transaction holds, and on H2 it keeps the commit in H2's own write buffer: H2 serialises a commit
     *     into a buffer it keeps for the next one only while at most 4 MB (it grows 1, 2, 3, then 4.5 MB), so a group
     *     of 3.4 MB of mail (40 messages of the benchmark's corpus) allocated 5–11 MB of new arrays at every commit.
     *     Arrays that large bypass G1's young generation, and their rate made G1 run a concurrent marking cycle
     *     nearly all the time (issue 13's JFR profile). Raw bytes plus what the parse adds (bodies, header JSON)
     *     stay under 3 MB with 2 MiB of mail.
     * @param linger how long to wait for more messages of the group's source batch
     */
    record Limits(int maxMessages, long maxBytes, Duration linger) {}

    private record Waiting(Exchange exchange, AsyncCallback callback, SourceBatch batch, int index, long bytes) {}

    private final String name;
    private final Processor sink;
    private final TransactionTemplate transaction;
    private final EntityManager entities;
    private final ChangeSequencer sequencer;
    private final int maxGroup;
    private final long maxBytes;
    private final long lingerNanos;
    private final Stats stats;
    /** Where exchanges go on after their commit (tags, the after-store hook), so the committer is free at once. */
    private final Executor completions;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by {@link #lock}, in arrival order. */
    private final List<Waiting> waiting = new ArrayList<>();

    private boolean running;
    private Thread thread;

    GroupCommitter(
            String name,
            Processor sink,
            TransactionTemplate transaction,
            EntityManager entities,
            ChangeSequencer sequencer,
            Limits limits,
            Stats stats,
            Executor completions) {
        this.lingerNanos = limits.linger().toNanos();
        this.stats = stats;
        this.completions = completions;
        this.name = name;
        this.sink = sink;
        this.transaction = transaction;
        this.entities = entities;
        this.sequencer = sequencer;
        this.maxGroup = Math.max(1, limits.maxMessages());
        this.maxBytes = Math.max(1, limits.maxBytes());
    }

    void start() {
        lock.lock();
        try {
            if (running) {
                return;
            }
            running = true;
            thread = new Thread(this::commitLoop, "mailgate-group-commit-" + name);
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops after the group in hand; messages still waiting fail (their sources leave them unread). Camel's
     * graceful shutdown stops the sources and waits for their messages before it stops this.
     */
    void stop() throws InterruptedException {
        Thread stopping;
        List<Waiting> left;
        lock.lock();
        try {
            running = false;
            stopping = thread;
            thread = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (stopping != null) {
            stopping.join(TimeUnit.SECONDS.toMillis(30));
        }
        lock.lock();
        try {
            left = new ArrayList<>(waiting);
            waiting.clear();
        } finally {
            lock.unlock();
        }
        left.forEach(w -> fail(w, "mailgate is stopping: the message was not stored and stays unread"));
    }

    /** Queues a message for the committer; returns false: the exchange completes later, after its commit. */
    boolean offer(Exchange exchange, AsyncCallback callback) {
        SourceBatch batch = exchange.getProperty(SourceBatch.PROPERTY, SourceBatch.class);
        int index = exchange.getProperty(Exchange.BATCH_INDEX, -1, Integer.class);
        RawEmail raw = exchange.getMessage().getBody(RawEmail.class);
        long bytes = raw == null ? 0 : raw.size();
        if (batch != null) {
            batch.listen(this::wake);
        }
        lock.lock();
        try {
            if (!running) {
                exchange.setException(
                        new IllegalStateException("The incident sink is stopped: the message stays unread"));
                callback.done(true);
                return true;
            }
            waiting.add(new Waiting(exchange, callback, batch, index, bytes));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return false;
    }

    /** Something changed that may make a waiting message ready (one before it finished elsewhere). */
    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void commitLoop() {
        while (true) {
            List<Waiting> group;
            try {
                group = nextGroup();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (group == null) {
                return;
            }
            try {
                commit(group);
            } catch (RuntimeException | Error e) {
                log.error("Group commit of {} message(s) failed unexpectedly", group.size(), e);
                group.forEach(w -> {
                    if (w.exchange().getException() == null) {
                        w.exchange().setException(e instanceof Exception ex ? ex : new IllegalStateException(e));
                    }
                });
            }
            group.forEach(this::complete);
        }
    }

    /**
     * The messages ready now, in the order they are to be stored (lingering for more of the same source batch, see
     * the class comment); null once stopped.
     */
    private List<Waiting> nextGroup() throws InterruptedException {
        lock.lock();
        try {
            List<Waiting> group = new ArrayList<>();
            boolean lingering = false;
            long lingerUntil = 0;
            while (true) {
                if (!running) {
                    return group.isEmpty() ? null : group; // what was taken is still stored
                }
                boolean full = takeReady(group);
                if (group.isEmpty()) {
                    // Bounded, in case a source forgot to say a message finished elsewhere.
                    changed.await(1, TimeUnit.SECONDS);
                    continue;
                }
                if (full || !moreComing(group)) {
                    return group;
                }
                long now = System.nanoTime();
                if (!lingering) {
                    lingering = true;
                    lingerUntil = now + lingerNanos;
                }
                if (now - lingerUntil >= 0) {
                    return group;
                }
                changed.awaitNanos(lingerUntil - now);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves every waiting message that is ready onto the group, in storing order, while it has room; returns whether
     * the group is full (a ready message did not fit, or it has {@code maxGroup} messages).
     */
    private boolean takeReady(List<Waiting> group) {
        long bytes = group.stream().mapToLong(Waiting::bytes).sum();
        boolean took = true;
        // A message taken may make the next of its batch ready: look again until nothing more is.
        while (took) {
            took = false;
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
                Waiting w = it.next();
                if (w.batch() == null || w.batch().isNext(w.index())) {
                    if (group.size() >= maxGroup || !group.isEmpty() && bytes + w.bytes() > maxBytes) {
                        return true; // the next in storing order waits for the next group
                    }
                    it.remove();
                    group.add(w);
                    bytes += w.bytes();
                    if (w.batch() != null) {
                        w.batch().taken(w.index());
                    }
                    took = true;
                }
            }
        }
        return group.size() >= maxGroup;
    }

    /** Whether the source batch of the group's last message has messages that have not reached the sink yet. */
    private static boolean moreComing(List<Waiting> group) {
        SourceBatch batch = group.get(group.size() - 1).batch();
        return batch != null && batch.hasMore();
    }

    private void commit(List<Waiting> group) {
        if (group.size() == 1) {
            alone(group.get(0));
            return;
        }
        try {
            transaction.executeWithoutResult(status -> {
                for (Waiting w : group) {
                    run(w.exchange());
                    if (w.exchange().getException() != null) {
                        throw new GroupFailed(w.exchange().getException());
                    }
                    // The next message's dedup and link queries must see this one's rows.
                    entities.flush();
                }
            });
        } catch (RuntimeException e) {
            log.debug(
                    "Group of {} message(s) rolled back ({}); storing each alone",
                    group.size(),
                    e instanceof GroupFailed f ? f.getCause().toString() : e.toString());
            stats.rolledBack.incrementAndGet();
            for (Waiting w : group) {
                forget(w.exchange());
                alone(w);
            }
            return;
        }
        stats.groups.incrementAndGet();
        stats.grouped.addAndGet(group.size());
        // Committed: change-feed positions now, before any of the exchanges completes and is marked read.
        sequencer.afterCommit();
        for (Waiting w : group) {
            try (var mdc = PipelineExchange.mdcOf(w.exchange())) {
                PipelineExchange.logResult(w.exchange());
            }
        }
    }

    /** The sink for one message without a surrounding transaction: its store step commits by itself. */
    private void alone(Waiting w) {
        stats.alone.incrementAndGet();
        run(w.exchange());
    }

    private void run(Exchange exchange) {
        try (var mdc = PipelineExchange.mdcOf(exchange)) {
            sink.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
    }

    /** What a rolled-back group left on an exchange: its decisions referred to rows that no longer exist. */
    private static void forget(Exchange exchange) {
        exchange.setException(null);
        exchange.removeProperty(ExchangePropertyNames.DEDUP);
        exchange.removeProperty(ExchangePropertyNames.LINK);
        exchange.removeProperty(ExchangePropertyNames.RESULT);
    }

    private void complete(Waiting w) {
        Runnable goOn = () -> {
            try {
                w.callback().done(false);
            } catch (RuntimeException e) {
                log.warn("Completing a message after its commit failed", e);
            }
        };
        try (var mdc = PipelineExchange.mdcOf(w.exchange())) {
            completions.execute(goOn); // the worker takes this MDC
        } catch (RuntimeException rejected) {
            goOn.run(); // the pool is shut down or full: go on here
        }
    }

    private static void fail(Waiting w, String reason) {
        w.exchange().setException(new IllegalStateException(reason));
        try {
            w.callback().done(false);
        } catch (RuntimeException e) {
            log.debug("Completing a message failed", e);
        }
    }

    /** A message of the group failed: roll the group back. */
    private static final class GroupFailed extends RuntimeException {
        GroupFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}

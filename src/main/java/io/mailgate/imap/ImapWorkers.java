package io.mailgate.imap;

import jakarta.mail.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.imap.IdleManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Threads shared by every IMAP source of the node, so that a thousand mailboxes do not mean a thousand threads:
 * one scheduler for all polls, a small pool that fetches the next batch while the route handles the current one,
 * a small pool that drains a mailbox when IDLE says something arrived, and one IDLE selector (Angus
 * {@link IdleManager}) with one event dispatcher for all idling folders. Pool threads exist only while there is
 * work.
 */
@Component
class ImapWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImapWorkers.class);

    private final int size = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor fetchers;
    private final ThreadPoolExecutor wakers;
    private final ExecutorService idleThreads;
    private final ScheduledThreadPoolExecutor writeTimeouts;
    private IdleManager idleManager;
    private AtomicBoolean selectorEnded = new AtomicBoolean();

    ImapWorkers() {
        scheduler = new ScheduledThreadPoolExecutor(size, named("mailgate-imap-poll"));
        scheduler.setRemoveOnCancelPolicy(true);
        // Angus bounds every socket write with a timer; without a shared one it starts a thread per socket (the
        // 1,000-mailbox benchmark showed 2,034 live threads). Its tasks only close a stuck socket: one thread.
        writeTimeouts = new ScheduledThreadPoolExecutor(1, named("mailgate-imap-write-timeout"));
        writeTimeouts.setRemoveOnCancelPolicy(true);
        fetchers = bounded("mailgate-imap-fetch", size);
        // Drains mostly wait for the server and the database: twice the cores, so that a burst of mail into many
        // idling mailboxes is not queued behind two slow ones.
        wakers = bounded("mailgate-imap-wake", 2 * size);
        // The IDLE selector and the mail event dispatcher: one long-lived thread each, whatever the mailbox count
        // (Jakarta Mail may start a new dispatcher when the shared event queue was ended, so the pool is not capped:
        // a refused dispatcher would break the folder that raised the event).
        idleThreads = new ThreadPoolExecutor(
                0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), named("mailgate-imap-idle"));
    }

    /** Times every IMAP socket write (Angus {@code mail.<protocol>.executor.writetimeout}). */
    ScheduledExecutorService writeTimeouts() {
        return writeTimeouts;
    }

    /** Runs every IMAP source's scheduled polls. */
    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Fetches batches ahead; its tasks never wait for other tasks, so the pool cannot deadlock. */
    ExecutorService fetchers() {
        return fetchers;
    }

    /** Drains a mailbox that IDLE woke up (these tasks may wait for fetchers, never the other way round). */
    ExecutorService wakers() {
        return wakers;
    }

    /** Dispatches Jakarta Mail events (new messages, flag changes, closed folders) of idling folders. */
    ExecutorService events() {
        return idleThreads;
    }

    synchronized IdleManager idleManager() {
        if (idleManager == null || selectorEnded.get()) {
            if (idleManager != null) {
                // Angus ends its select loop on an unexpected error, dropping every watch: start a new one.
                log.warn(
                        "The IMAP IDLE selector stopped; starting a new one (idling folders rejoin at their next poll)");
            }
            AtomicBoolean ended = new AtomicBoolean();
            AtomicBoolean selectLoopStarted = new AtomicBoolean();
            try {
                // Its first task is the select loop; later ones are short IDLE aborts (DONE) on timed sockets.
                idleManager = new IdleManager(Session.getInstance(new Properties()), task -> {
                    if (selectLoopStarted.compareAndSet(false, true)) {
                        idleThreads.execute(() -> {
                            try {
                                task.run();
                            } finally {
                                ended.set(true);
                            }
                        });
                    } else {
                        idleThreads.execute(task);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open a selector for IMAP IDLE", e);
            }
            selectorEnded = ended;
        }
        return idleManager;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (idleManager != null) {
                idleManager.stop();
            }
        }
        scheduler.shutdownNow();
        writeTimeouts.shutdownNow();
        fetchers.shutdownNow();
        wakers.shutdownNow();
        idleThreads.shutdownNow();
    }

    private ThreadPoolExecutor bounded(String name, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

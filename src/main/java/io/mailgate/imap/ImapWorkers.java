package io.mailgate.imap;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Threads shared by every IMAP source of the node: a small bounded pool that fetches the next batch of a
 * mailbox while its consumer hands the current one to the pipeline. Threads exist only while there is work.
 */
@Component
class ImapWorkers implements AutoCloseable {

    private final ThreadPoolExecutor fetchers;

    ImapWorkers() {
        int size = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        fetchers = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "mailgate-imap-fetch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fetchers.allowCoreThreadTimeOut(true);
    }

    ExecutorService fetchers() {
        return fetchers;
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}

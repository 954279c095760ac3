package io.mailgate.pipeline;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker pool the pipeline's {@code threads} step names ({@value #NAME}): decrypt and parse run on as many
 * threads as there are cores ({@code mailgate.ingest.workers} to change it), with a bounded queue; when it is
 * full the thread that hands over a message runs it itself, which slows the source down instead of piling up
 * messages in memory. The group committer continues messages after their commit on it too. A task runs with the
 * logging MDC of the thread that handed it over, so a line a worker writes still names the message's connection.
 */
@Configuration(proxyBeanMethods = false)
class IngestWorkers {

    static final String NAME = "mailgateIngestWorkers";
    private static final int QUEUE_PER_WORKER = 50;

    @Bean(name = NAME, destroyMethod = "shutdown")
    ExecutorService mailgateIngestWorkers(@Value("${mailgate.ingest.workers:0}") int configured) {
        int workers = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
        return new MdcPool(workers, workers * QUEUE_PER_WORKER);
    }

    private static final class MdcPool extends ThreadPoolExecutor {

        MdcPool(int workers, int queue) {
            super(
                    workers,
                    workers,
                    60,
                    TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queue),
                    threads(),
                    new CallerRunsPolicy());
        }

        @Override
        public void execute(Runnable task) {
            Map<String, String> handedFrom = MDC.getCopyOfContextMap();
            super.execute(() -> {
                Map<String, String> own = MDC.getCopyOfContextMap();
                set(handedFrom);
                try {
                    task.run();
                } finally {
                    set(own); // the caller's own MDC again when it ran the task itself (queue full)
                }
            });
        }

        private static void set(Map<String, String> context) {
            if (context == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(context);
            }
        }

        private static ThreadFactory threads() {
            AtomicInteger count = new AtomicInteger();
            return task -> {
                Thread thread = new Thread(task, "mailgate-ingest-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }
}

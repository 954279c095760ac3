package io.mailgate.connectiontest;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds a whole test, not each socket operation: a server that dribbles one byte now and then defeats read
 * timeouts but not this. The test runs on its own daemon thread; when the bound passes, the caller gets its
 * answer and the attempt is aborted (its sockets closed) in the background.
 */
final class Deadline {

    private static final Logger log = LoggerFactory.getLogger(Deadline.class);

    private Deadline() {}

    static TestResult run(
            String name,
            Callable<TestResult> attempt,
            Runnable abort,
            Duration bound,
            Supplier<TestStage> progress,
            Supplier<TestResult> onTimeout) {
        FutureTask<TestResult> task = new FutureTask<>(attempt);
        Thread thread = new Thread(task, "connection-test-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Closing may itself block on a lock the stuck attempt holds, so it gets a thread of its own.
            Thread closer = new Thread(abort, "connection-test-abort-" + name);
            closer.setDaemon(true);
            closer.start();
            task.cancel(true);
            return onTimeout.get();
        } catch (ExecutionException e) {
            log.warn("Connection test {} failed unexpectedly", name, e.getCause());
            return TestResult.failure(
                    progress.get(),
                    TestCodes.UNEXPECTED_ERROR,
                    "The test failed unexpectedly (" + e.getCause().getClass().getSimpleName()
                            + "); the application log has the details.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return onTimeout.get();
        }
    }
}

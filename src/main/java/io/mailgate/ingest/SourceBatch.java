package io.mailgate.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The messages a source fetched together (one IMAP {@code UID FETCH}), so that the incident sink stores them in
 * source order although they are decrypted and parsed in parallel. The source puts one instance on every exchange
 * of the batch (property {@value #PROPERTY}, with {@code CamelBatchIndex}) and calls {@link #finished(int)} when an
 * exchange completed, whatever happened to it. The message at index i may be stored once every message before it was stored or will never reach the sink (quarantined at
 * parsing, failed, filtered by a hook). A batch may follow the one before it, so that the source can hand the next
 * batch to the workers while the sink still commits the last one, and the order holds across batches too.
 */
public final class SourceBatch {

    /** Exchange property holding the message's batch. */
    public static final String PROPERTY = "mailgateSourceBatch";

    /** Per index: true once the message was taken by the sink or finished elsewhere. */
    private final boolean[] passed;
    /** The first message not yet passed: the only one the sink may take next. */
    private int next;

    /** What every message of the batch shares and the pipeline loads once per batch (the connection's row). */
    private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();

    private Runnable listener = () -> {};
    /** The batch fetched before this one, until all of it passed: this one's messages wait for it. */
    private SourceBatch previous;

    public SourceBatch(int size) {
        this(size, null);
    }

    /** A batch stored only after {@code previous} (the source's batch before it, still in flight) passed. */
    public SourceBatch(int size, SourceBatch previous) {
        this.passed = new boolean[size];
        this.previous = previous;
    }

    /**
     * A value all messages of the batch share, loaded by the first message that asks (the others wait for it) and
     * kept while the batch lives; a load that fails is not kept, the next message tries again.
     */
    public <T> T shared(Class<T> type, Supplier<T> load) {
        return type.cast(shared.computeIfAbsent(type, k -> load.get()));
    }

    /** The exchange at this index completed (stored, quarantined or failed): it no longer holds the others back. */
    public void finished(int index) {
        Runnable tell;
        synchronized (this) {
            if (index < 0 || index >= passed.length) {
                return;
            }
            passed[index] = true;
            advance();
            tell = listener;
        }
        tell.run();
    }

    /** Whether the message at this index, waiting at the sink, is next in source order. */
    public synchronized boolean isNext(int index) {
        if (previous != null) {
            if (!previous.allPassed()) {
                return false;
            }
            previous = null; // no chain of finished batches kept alive
        }
        return index == next || index < 0 || index >= passed.length;
    }

    /** Whether some message of the batch has neither been taken by the sink nor finished elsewhere. */
    public synchronized boolean hasMore() {
        return next < passed.length;
    }

    synchronized boolean allPassed() {
        return next >= passed.length;
    }

    /** The sink took the message at this index for storing: the one after it is next. */
    public synchronized void taken(int index) {
        if (index >= 0 && index < passed.length) {
            passed[index] = true;
            advance();
        }
    }

    /** Who to tell when a message passed outside the sink (the sink's committer, waiting for it). */
    public synchronized void listen(Runnable listener) {
        this.listener = listener;
        if (previous != null) {
            previous.listen(listener); // its last message may pass outside the sink, and this batch waits for it
        }
    }

    private void advance() {
        while (next < passed.length && passed[next]) {
            next++;
        }
    }
}

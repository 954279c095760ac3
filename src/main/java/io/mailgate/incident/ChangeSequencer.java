package io.mailgate.incident;

import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives committed incident changes their change-feed positions, in commit order, without a lock held through
 * the ingest transactions (issue 15.6).
 *
 * <p>An ingest only marks its incident {@code change_pending} (a new incident has no position yet) and, once it
 * committed, the store step calls {@link #afterCommit()}, before the message's exchange completes, so a message
 * its source marks read is already visible in the API. A pass is one short transaction: lock the {@code change_sequence} row
 * (every node's passes, and any other writer of positions, take that lock, so passes run one after the other),
 * read the pending incidents that are committed and not locked by an ingest still in flight ({@code FOR UPDATE
 * SKIP LOCKED}: their own ingest's pass will take them), give them the next positions in id order, and raise the
 * counter. Why a reader never skips a change: a position becomes visible only when its pass commits, every pass
 * starts from the counter the passes before it committed, so every position given later is higher than every
 * position a reader has already seen; and a change that commits later is still pending, so it gets such a
 * later position. A crash between an ingest's commit and its pass leaves the row pending: the periodic sweep
 * (and the first pass after start-up) takes it.
 *
 * <p>Cost: one short transaction per ingest transaction, shared: callers that arrive while a pass runs wait for
 * the next pass, which serves them all.
 */
@Component
public class ChangeSequencer {

    private static final Logger log = LoggerFactory.getLogger(ChangeSequencer.class);
    private static final int ROWS_PER_PASS = 1000;
    private static final long SWEEP_MILLIS = 1000;

    /** Committed pending changes in id order; rows an ingest in flight holds are left to its own pass. */
    private static final String PENDING = "SELECT id FROM incidents WHERE change_pending = TRUE ORDER BY id" + " LIMIT "
            + ROWS_PER_PASS + " FOR UPDATE SKIP LOCKED";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    /** Requests taken (tickets) and the highest ticket a finished pass started after. */
    private final AtomicLong requested = new AtomicLong();

    private long served;
    private final Object passes = new Object();
    private ScheduledExecutorService sweeper;

    ChangeSequencer(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Gives every committed pending change its position; returns when a pass that started after this call ended. */
    public void afterCommit() {
        long ticket = requested.incrementAndGet();
        try {
            synchronized (passes) {
                if (served >= ticket) {
                    return; // a pass that started after our commit has taken our rows
                }
                long upTo = requested.get();
                runPasses();
                served = upTo;
            }
        } catch (RuntimeException e) {
            // The data is committed: a failed pass only delays its position until the next pass or sweep.
            log.warn("Change-feed sequencing failed; the periodic sweep retries: {}", e.toString());
        }
    }

    private void runPasses() {
        Integer done;
        do {
            done = transaction.execute(status -> pass());
        } while (done != null && done == ROWS_PER_PASS);
    }

    /** One pass: returns how many incidents got a position. */
    private int pass() {
        long last = jdbc.queryForObject("SELECT last_value FROM change_sequence WHERE id = 1 FOR UPDATE", Long.class);
        List<Long> pending = jdbc.queryForList(PENDING, Long.class);
        if (pending.isEmpty()) {
            return 0;
        }
        long[] position = {last};
        jdbc.batchUpdate(
                "UPDATE incidents SET change_seq = ?, change_pending = FALSE WHERE id = ?", pending, 500, (ps, id) -> {
                    ps.setLong(1, ++position[0]);
                    ps.setLong(2, id);
                });
        jdbc.update("UPDATE change_sequence SET last_value = ? WHERE id = 1", position[0]);
        return pending.size();
    }

    /** The sweep: changes of a node that died between its commit and its pass, and rows a pass skipped. */
    @EventListener(ContextRefreshedEvent.class)
    void startSweep() {
        synchronized (this) {
            if (sweeper != null) {
                return;
            }
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mailgate-change-sequencer");
                t.setDaemon(true);
                return t;
            });
        }
        sweeper.scheduleWithFixedDelay(this::sweep, 0, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            // A plain read first: most seconds nothing is pending, and then no lock is taken at all.
            if (!jdbc.queryForList("SELECT id FROM incidents WHERE change_pending = TRUE LIMIT 1", Long.class)
                    .isEmpty()) {
                afterCommit();
            }
        } catch (RuntimeException e) {
            log.debug("Change-feed sweep failed: {}", e.toString());
        }
    }

    @PreDestroy
    synchronized void stopSweep() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}

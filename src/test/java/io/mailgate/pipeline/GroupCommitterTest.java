package io.mailgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.mailgate.incident.ChangeSequencer;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.SourceBatch;
import jakarta.persistence.EntityManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The group committer on its own, with a sink that records what it was given: source order within a batch, arrival
 * order otherwise, one transaction for a group, and a failed group stored message by message.
 */
class GroupCommitterTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final Transactions transactions = new Transactions();
    private final ChangeSequencer sequencer = mock(ChangeSequencer.class);
    /** Each sink call: the message's name and whether it ran inside a group's transaction. */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private final ConcurrentHashMap<String, Integer> completions = new ConcurrentHashMap<>();
    private final GroupCommitter.Stats stats = new GroupCommitter.Stats();
    private volatile String poisoned = "";
    private GroupCommitter committer;

    @AfterEach
    void stop() throws Exception {
        if (committer != null) {
            committer.stop();
        }
    }

    private GroupCommitter start(int maxGroup) {
        return start(maxGroup, Duration.ofMillis(GroupCommitComponent.DEFAULT_LINGER_MILLIS));
    }

    private GroupCommitter start(int maxGroup, Duration linger) {
        return start(new GroupCommitter.Limits(maxGroup, GroupCommitComponent.DEFAULT_MAX_BYTES, linger));
    }

    private GroupCommitter start(GroupCommitter.Limits limits) {
        committer = new GroupCommitter(
                "test",
                exchange -> {
                    String name = exchange.getProperty("name", String.class);
                    calls.add(name
                            + (TransactionSynchronizationManager.isActualTransactionActive() ? " in group" : " alone"));
                    if (name.equals(poisoned)) {
                        throw new IllegalStateException("poisoned " + name);
                    }
                    exchange.setProperty("stored", true);
                },
                new TransactionTemplate(transactions),
                mock(EntityManager.class),
                sequencer,
                limits,
                stats,
                Runnable::run);
        committer.start();
        return committer;
    }

    private Exchange exchange(String name, SourceBatch batch, int index) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty("name", name);
        if (batch != null) {
            exchange.setProperty(SourceBatch.PROPERTY, batch);
            exchange.setProperty(Exchange.BATCH_INDEX, index);
        }
        return exchange;
    }

    private void offer(Exchange exchange) {
        boolean sync = committer.offer(
                exchange, doneSync -> completions.merge(exchange.getProperty("name", String.class), 1, Integer::sum));
        assertThat(sync).as("completes after its commit, not at once").isFalse();
    }

    @Test
    void messagesOfABatchAreStoredInSourceOrderWhateverOrderTheyArriveIn() {
        start(50);
        SourceBatch batch = new SourceBatch(5);
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            exchanges.add(exchange("m" + i, batch, i));
        }
        // Parsed in parallel: the first one is the last to arrive, and the others wait for it.
        for (int i : new int[] {3, 1, 4, 2}) {
            offer(exchanges.get(i));
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
        offer(exchanges.get(0));

        await().atMost(Duration.ofSeconds(5)).until(() -> completions.size() == 5);
        assertThat(calls).containsExactly("m0 in group", "m1 in group", "m2 in group", "m3 in group", "m4 in group");
        assertThat(transactions.commits).isEqualTo(1);
        assertThat(completions).allSatisfy((name, times) -> assertThat(times).isEqualTo(1));
        verify(sequencer, times(1)).afterCommit();
    }

    @Test
    void theCommitterLingersForTheRestOfABatchButNotAfterItsLastMessage() {
        start(50, Duration.ofSeconds(20));
        SourceBatch batch = new SourceBatch(3);
        offer(exchange("m0", batch, 0));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
        offer(exchange("m1", batch, 1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
        long lastOffered = System.nanoTime();
        offer(exchange("m2", batch, 2));

        await().atMost(Duration.ofSeconds(2)).until(() -> completions.size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - lastOffered))
                .as("nothing more to wait for once the last message of the batch came")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(calls).containsExactly("m0 in group", "m1 in group", "m2 in group");
        assertThat(transactions.commits).isEqualTo(1);
    }

    @Test
    void lingeringEndsAfterItsTimeWithWhatCame() {
        start(50, Duration.ofMillis(400));
        SourceBatch batch = new SourceBatch(3);
        long offered = System.nanoTime();
        offer(exchange("m0", batch, 0)); // m1 and m2 never come

        await().atMost(Duration.ofSeconds(5)).until(() -> completions.containsKey("m0"));
        assertThat(Duration.ofNanos(System.nanoTime() - offered))
                .as("waited for the rest of its batch")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(calls).containsExactly("m0 alone");
    }

    @Test
    void aMessageThatFinishedBeforeTheSinkHoldsNoOneBack() {
        start(50);
        SourceBatch batch = new SourceBatch(3);
        offer(exchange("m2", batch, 2));
        offer(exchange("m0", batch, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.containsKey("m0"));
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !completions.containsKey("m2"));
        batch.finished(1); // quarantined at parsing: it never comes to the sink
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.containsKey("m2"));
        assertThat(calls).containsExactly("m0 alone", "m2 alone");
    }

    @Test
    void aBatchHandedWhileTheOneBeforeIsInFlightWaitsForAllOfIt() {
        start(50);
        SourceBatch first = new SourceBatch(2);
        SourceBatch second = new SourceBatch(2, first);
        offer(exchange("b0", second, 0));
        offer(exchange("b1", second, 1));
        offer(exchange("a1", first, 1));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(calls::isEmpty);
        offer(exchange("a0", first, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.size() == 4);
        assertThat(calls).containsExactly("a0 in group", "a1 in group", "b0 in group", "b1 in group");

        // The first batch's last message quarantined before the sink: the next batch goes on without it.
        calls.clear();
        SourceBatch third = new SourceBatch(2);
        SourceBatch fourth = new SourceBatch(1, third);
        offer(exchange("c0", third, 0));
        offer(exchange("d0", fourth, 0));
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.containsKey("c0"));
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> !completions.containsKey("d0"));
        third.finished(1);
        await().atMost(Duration.ofMillis(900)).until(() -> completions.containsKey("d0"));
        assertThat(calls).containsExactly("c0 alone", "d0 alone");
    }

    @Test
    void messagesWithoutABatchAreStoredInArrivalOrderAndALoneOneIsNotKeptWaiting() {
        start(50);
        offer(exchange("first", null, -1));
        await().atMost(Duration.ofSeconds(2)).until(() -> completions.containsKey("first"));
        assertThat(calls).containsExactly("first alone");
        assertThat(transactions.begins)
                .as("a group of one needs no group transaction")
                .isZero();
    }

    @Test
    void aFailedGroupIsRolledBackAndEachMessageIsStoredAloneSoOnlyTheBadOneFails() {
        start(50);
        poisoned = "m2";
        SourceBatch batch = new SourceBatch(4);
        List<Exchange> exchanges = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            exchanges.add(exchange("m" + i, batch, i));
        }
        for (int i = 3; i >= 0; i--) {
            offer(exchanges.get(i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.size() == 4);

        assertThat(transactions.rollbacks).isEqualTo(1);
        assertThat(transactions.commits).isZero();
        assertThat(calls)
                .containsExactly(
                        "m0 in group", "m1 in group", "m2 in group", "m0 alone", "m1 alone", "m2 alone", "m3 alone");
        assertThat(exchanges.get(2).getException()).hasMessage("poisoned m2");
        for (int i : new int[] {0, 1, 3}) {
            assertThat(exchanges.get(i).getException()).as("m" + i).isNull();
            assertThat(exchanges.get(i).getProperty("stored", Boolean.class)).isTrue();
        }
        assertThat(completions)
                .allSatisfy((name, times) -> assertThat(times).as(name).isEqualTo(1));
        assertThat(stats.rolledBack.get()).isEqualTo(1);
    }

    @Test
    void aGroupIsBoundedAndTheRestFollowsInOrder() {
        start(2);
        SourceBatch batch = new SourceBatch(5);
        for (int i = 4; i >= 0; i--) {
            offer(exchange("m" + i, batch, i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.size() == 5);
        assertThat(calls).containsExactly("m0 in group", "m1 in group", "m2 in group", "m3 in group", "m4 alone");
        assertThat(transactions.commits).isEqualTo(2);
    }

    @Test
    void aGroupHoldsAtMostMaxBytesOfMailAndALargerMessageIsStoredAlone() {
        start(new GroupCommitter.Limits(50, 1000, Duration.ofMillis(GroupCommitComponent.DEFAULT_LINGER_MILLIS)));
        SourceBatch batch = new SourceBatch(6);
        long[] sizes = {400, 400, 300, 1500, 600, 400};
        for (int i = 5; i >= 0; i--) {
            Exchange exchange = exchange("m" + i, batch, i);
            exchange.getMessage().setBody(new RawEmail(Path.of("m" + i), sizes[i], "", null, Instant.EPOCH));
            offer(exchange);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> completions.size() == 6);
        // 400 + 400 fit and 300 more would make 1,100; 1,500 is larger than the limit on its own
        assertThat(calls)
                .containsExactly("m0 in group", "m1 in group", "m2 alone", "m3 alone", "m4 in group", "m5 in group");
        assertThat(transactions.commits).isEqualTo(2);
    }

    @Test
    void stoppingFailsWhatIsStillWaitingSoItStaysUnread() throws Exception {
        start(50);
        SourceBatch batch = new SourceBatch(2);
        Exchange second = exchange("m1", batch, 1);
        offer(second); // waits for m0, which never comes
        CountDownLatch stopped = new CountDownLatch(1);
        new Thread(() -> {
                    try {
                        committer.stop();
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    stopped.countDown();
                })
                .start();
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(completions).containsEntry("m1", 1);
        assertThat(second.getException()).hasMessageContaining("stays unread");
        assertThat(calls).isEmpty();
    }

    /** A transaction manager that only counts; it binds Spring's synchronization like a real one. */
    private static final class Transactions extends AbstractPlatformTransactionManager {
        volatile int begins;
        volatile int commits;
        volatile int rollbacks;

        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
            begins++;
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            commits++;
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
            rollbacks++;
        }
    }
}

package io.mailgate.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The group commit as metrics (at {@code /actuator/prometheus}), all connections together since one committer
 * stores for all: groups committed whole and their messages (the ratio of the two rates is the mean group size, the
 * messages that shared one commit), messages stored in a transaction of their own, and groups rolled back because
 * one of their messages failed (each of their messages was then stored alone). Rollbacks that keep rising mean a
 * message keeps failing inside the sink: its connection's failures say which.
 */
@Component
class GroupCommitMetrics implements MeterBinder {

    private final GroupCommitComponent groupCommit;

    GroupCommitMetrics(GroupCommitComponent groupCommit) {
        this.groupCommit = groupCommit;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        GroupCommitter.Stats stats = groupCommit.stats();
        counter(registry, "mailgate.ingest.group.commits", stats.groups, "Groups of messages stored with one commit");
        counter(
                registry,
                "mailgate.ingest.group.messages",
                stats.grouped,
                "Messages stored as part of a group (with other messages, in one commit)");
        counter(
                registry,
                "mailgate.ingest.group.alone",
                stats.alone,
                "Messages stored in a transaction of their own: alone in the queue, or again after their group"
                        + " was rolled back");
        counter(
                registry,
                "mailgate.ingest.group.rollbacks",
                stats.rolledBack,
                "Groups rolled back because one of their messages failed; each of their messages was then stored"
                        + " alone");
    }

    private static void counter(MeterRegistry registry, String name, AtomicLong value, String description) {
        FunctionCounter.builder(name, value, AtomicLong::get)
                .description(description)
                .register(registry);
    }
}

package io.mailgate.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a round of unseen UIDs into FETCH commands: many small messages per command, bounded by a count and a
 * byte budget (RFC822.SIZE), so one command's literals fit in memory; a message larger than the budget gets a
 * batch of its own and is streamed in partial chunks instead.
 */
final class FetchPlan {

    /** One FETCH command's worth: either several whole messages, or one large message to stream. */
    record Batch(List<Long> uids, boolean large) {}

    private FetchPlan() {}

    /**
     * @param uids  in the order they are to be handed over (ascending: oldest first)
     * @param sizes RFC822.SIZE by UID; a UID without a size has disappeared meanwhile and is left out
     */
    static List<Batch> of(List<Long> uids, Map<Long, Long> sizes, int maxMessages, long maxBytes) {
        List<Batch> batches = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        long bytes = 0;
        for (long uid : uids) {
            Long size = sizes.get(uid);
            if (size == null) {
                continue;
            }
            if (size > maxBytes) {
                if (!current.isEmpty()) {
                    batches.add(new Batch(current, false));
                    current = new ArrayList<>();
                    bytes = 0;
                }
                batches.add(new Batch(List.of(uid), true));
                continue;
            }
            if (!current.isEmpty() && (current.size() >= maxMessages || bytes + size > maxBytes)) {
                batches.add(new Batch(current, false));
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(uid);
            bytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(new Batch(current, false));
        }
        return batches;
    }
}

package io.mailgate.imap;

import java.util.Collection;
import java.util.TreeSet;

/** IMAP UID sets (RFC 3501 sequence-set): consecutive UIDs collapse into ranges, so a command stays short. */
final class UidSet {

    private UidSet() {}

    static String of(Collection<Long> uids) {
        if (uids.isEmpty()) {
            throw new IllegalArgumentException("An IMAP UID set cannot be empty");
        }
        StringBuilder set = new StringBuilder();
        long start = -1;
        long previous = -1;
        for (long uid : new TreeSet<>(uids)) {
            if (start < 0) {
                start = uid;
            } else if (uid != previous + 1) {
                append(set, start, previous);
                start = uid;
            }
            previous = uid;
        }
        append(set, start, previous);
        return set.toString();
    }

    private static void append(StringBuilder set, long start, long end) {
        if (!set.isEmpty()) {
            set.append(',');
        }
        set.append(start);
        if (end != start) {
            set.append(':').append(end);
        }
    }
}

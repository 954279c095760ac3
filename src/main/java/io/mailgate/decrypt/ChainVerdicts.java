package io.mailgate.decrypt;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Remembers for a few minutes whether a signer certificate chained to a trust anchor, so that the path is built once
 * per signer, not once per message: a mailbox's signed mail comes from few signers, and building a path (with the
 * JVM's 140-odd roots as anchors) was the largest part of checking a signature (issue 13's profile).
 *
 * <p>A verdict is keyed by the signer, the intermediates that came with it and the caller's trusted certificates,
 * all compared by their encoded bytes. It is kept at most {@link #TTL}, and never past the signer's expiry, so a
 * certificate that expires or an anchor that is added is seen within minutes. Bounded (least recently used first
 * out); thread-safe.
 */
final class ChainVerdicts {

    static final Duration TTL = Duration.ofMinutes(5);
    static final int CAPACITY = 1024;

    private record Key(X509Certificate signer, Set<X509Certificate> intermediates, Set<X509Certificate> trusted) {}

    private record Verdict(boolean trusted, long expiresAtMillis) {}

    private final LongSupplier clock;
    private final Map<Key, Verdict> verdicts = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Verdict> eldest) {
            return size() > CAPACITY;
        }
    };

    ChainVerdicts(LongSupplier clock) {
        this.clock = clock;
    }

    /** The remembered verdict, or {@code build}'s, which is then remembered. */
    boolean isTrusted(
            X509Certificate signer,
            Collection<X509Certificate> intermediates,
            Collection<X509Certificate> trusted,
            BooleanSupplier build) {
        Key key = new Key(signer, Set.copyOf(intermediates), Set.copyOf(trusted));
        long now = clock.getAsLong();
        synchronized (verdicts) {
            Verdict verdict = verdicts.get(key);
            if (verdict != null && now < verdict.expiresAtMillis()) {
                return verdict.trusted();
            }
        }
        // built outside the lock: two threads may both build the same verdict once, which is harmless
        boolean trustedNow = build.getAsBoolean();
        long expires = Math.min(now + TTL.toMillis(), signer.getNotAfter().getTime());
        synchronized (verdicts) {
            verdicts.put(key, new Verdict(trustedNow, expires));
        }
        return trustedNow;
    }
}

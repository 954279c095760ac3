package io.mailgate.connection;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** What each connection's route has lately done: polls, failures, why it is stopped. Held in memory. */
@Component
public class ConnectionStates {

    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    /** The live facts of one connection. */
    public record Snapshot(Instant lastPollAt, Instant lastSuccessAt, Instant lastFailureAt, String lastErrorCode,
                           String lastError, String stoppedReason, boolean needsConsent) {

        static final Snapshot EMPTY = new Snapshot(null, null, null, null, null, null, false);

        boolean failing() {
            return lastFailureAt != null && (lastSuccessAt == null || lastFailureAt.isAfter(lastSuccessAt));
        }
    }

    private final Map<Long, Snapshot> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Long> connectionOfRoute = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    void bind(String routeId, long connectionId) {
        connectionOfRoute.put(routeId, connectionId);
        byConnection.compute(connectionId, (id, s) -> s == null ? Snapshot.EMPTY
                : new Snapshot(s.lastPollAt(), s.lastSuccessAt(), s.lastFailureAt(), s.lastErrorCode(), s.lastError(),
                        null, false));
    }

    void unbind(String routeId) {
        connectionOfRoute.remove(routeId);
    }

    void forget(long connectionId) {
        byConnection.remove(connectionId);
        connectionOfRoute.values().removeIf(id -> id == connectionId);
    }

    void stopped(long connectionId, String reason) {
        byConnection.compute(connectionId, (id, s) -> {
            Snapshot base = s == null ? Snapshot.EMPTY : s;
            return new Snapshot(base.lastPollAt(), base.lastSuccessAt(), base.lastFailureAt(), base.lastErrorCode(),
                    base.lastError(), reason, base.needsConsent());
        });
    }

    /** The Microsoft 365 grant is missing, revoked or expired: an admin must Grant Access again. */
    void needsConsent(long connectionId, String reason) {
        byConnection.compute(connectionId, (id, s) -> {
            Snapshot base = s == null ? Snapshot.EMPTY : s;
            return new Snapshot(base.lastPollAt(), base.lastSuccessAt(), clock.instant(), "CONSENT_REQUIRED", reason,
                    base.stoppedReason(), true);
        });
        emailLog.warn("connection={} state=NEEDS_CONSENT reason={}", nameOf(connectionId), reason);
    }

    void pollSucceeded(String routeId) {
        Long id = connectionOfRoute.get(routeId);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Snapshot before = byConnection.getOrDefault(id, Snapshot.EMPTY);
        if (before.failing()) {
            emailLog.info("connection={} route={} state=RUNNING recovered after {}", nameOf(routeId), routeId,
                    before.lastErrorCode());
        }
        byConnection.put(id, new Snapshot(now, now, before.lastFailureAt(), before.lastErrorCode(), before.lastError(),
                null, false));
    }

    void pollFailed(String routeId, String code, String message) {
        Long id = connectionOfRoute.get(routeId);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Snapshot before = byConnection.getOrDefault(id, Snapshot.EMPTY);
        if (!before.failing() || !code.equals(before.lastErrorCode())) {
            emailLog.warn("connection={} route={} state=FAILING code={} error={}", nameOf(routeId), routeId, code,
                    message);
        }
        byConnection.put(id, new Snapshot(now, before.lastSuccessAt(), now, code, message, null,
                before.needsConsent()));
    }

    /** {@code org/apiName}, as every email log line names a connection. */
    private static String nameOf(String routeId) {
        io.mailgate.ops.ConnectionRef ref = io.mailgate.ops.ConnectionRef.ofRoute(routeId);
        return ref == null ? routeId : ref.name();
    }

    private String nameOf(long connectionId) {
        return connectionOfRoute.entrySet().stream().filter(e -> e.getValue() == connectionId)
                .map(e -> nameOf(e.getKey())).findFirst().orElse(String.valueOf(connectionId));
    }

    public Snapshot snapshot(long connectionId) {
        return byConnection.getOrDefault(connectionId, Snapshot.EMPTY);
    }
}

package io.mailgate.connection;

import io.mailgate.ingest.ConnectionRef;
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
    static final String AUTH_FAILED = "AUTH_FAILED";

    /**
     * The live facts of one connection.
     *
     * @param lastPollFailures messages of the last poll that failed (left unread at their source)
     * @param authFailures     polls in a row the server refused the credentials
     * @param nextAuthTry      no poll before this instant, after a refused password; null when not waiting
     * @param authPaused       refused {@code mailgate.routes.auth-retry.pause-after} times: no more tries until the
     *                         connection changes or an admin resumes it
     */
    public record Snapshot(
            Instant lastPollAt,
            Instant lastSuccessAt,
            Instant lastFailureAt,
            String lastErrorCode,
            String lastError,
            String stoppedReason,
            boolean needsConsent,
            int lastPollFailures,
            int authFailures,
            Instant nextAuthTry,
            boolean authPaused) {

        static final Snapshot EMPTY = new Snapshot(null, null, null, null, null, null, false, 0, 0, null, false);

        /** The last poll failed as a whole, or all of its messages failed. */
        public boolean failing() {
            return lastFailureAt != null && (lastSuccessAt == null || lastFailureAt.isAfter(lastSuccessAt));
        }

        /** The last poll made progress, but some of its messages failed. */
        public boolean degraded() {
            return !failing() && lastPollFailures > 0;
        }

        Snapshot withStopped(String reason, boolean consent) {
            return new Snapshot(
                    lastPollAt,
                    lastSuccessAt,
                    lastFailureAt,
                    lastErrorCode,
                    lastError,
                    reason,
                    consent,
                    lastPollFailures,
                    authFailures,
                    nextAuthTry,
                    authPaused);
        }

        Snapshot withAuth(int failures, Instant next, boolean paused) {
            return new Snapshot(
                    lastPollAt,
                    lastSuccessAt,
                    lastFailureAt,
                    lastErrorCode,
                    lastError,
                    stoppedReason,
                    needsConsent,
                    lastPollFailures,
                    failures,
                    next,
                    paused);
        }
    }

    private final Map<Long, Snapshot> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Long> connectionOfRoute = new ConcurrentHashMap<>();
    private final AuthRetryProperties authRetry;
    private final Clock clock = Clock.systemUTC();

    ConnectionStates(AuthRetryProperties authRetry) {
        this.authRetry = authRetry;
    }

    /** A new route for the connection: it was created, changed (new credentials, perhaps) or enabled. */
    public void bind(String routeId, long connectionId) {
        connectionOfRoute.put(routeId, connectionId);
        // A changed connection starts afresh: its credentials may be right now, so refusals are forgotten.
        byConnection.compute(
                connectionId,
                (id, s) ->
                        s == null ? Snapshot.EMPTY : s.withStopped(null, false).withAuth(0, null, false));
    }

    public void unbind(String routeId) {
        connectionOfRoute.remove(routeId);
    }

    public void forget(long connectionId) {
        byConnection.remove(connectionId);
        connectionOfRoute.values().removeIf(id -> id == connectionId);
    }

    public void stopped(long connectionId, String reason) {
        byConnection.compute(connectionId, (id, s) -> {
            Snapshot base = s == null ? Snapshot.EMPTY : s;
            return base.withStopped(reason, base.needsConsent());
        });
    }

    /** The Microsoft 365 grant is missing, revoked or expired: an admin must Grant Access again. */
    public void needsConsent(long connectionId, String reason) {
        byConnection.compute(connectionId, (id, s) -> {
            Snapshot base = s == null ? Snapshot.EMPTY : s;
            return new Snapshot(
                    base.lastPollAt(),
                    base.lastSuccessAt(),
                    clock.instant(),
                    "CONSENT_REQUIRED",
                    reason,
                    base.stoppedReason(),
                    true,
                    0,
                    base.authFailures(),
                    base.nextAuthTry(),
                    base.authPaused());
        });
        emailLog.warn("connection={} state=NEEDS_CONSENT reason={}", nameOf(connectionId), reason);
    }

    /** Whether the route may poll now: not while waiting after a refused password, nor while paused for it. */
    public boolean mayPoll(String routeId) {
        Long id = connectionOfRoute.get(routeId);
        if (id == null) {
            return true;
        }
        Snapshot s = byConnection.getOrDefault(id, Snapshot.EMPTY);
        return !s.authPaused() && (s.nextAuthTry() == null || !clock.instant().isBefore(s.nextAuthTry()));
    }

    /** An admin resumes a connection paused after refused passwords: the next poll tries again. */
    public void resume(long connectionId) {
        Snapshot before = byConnection.get(connectionId);
        if (before != null && (before.authPaused() || before.nextAuthTry() != null)) {
            byConnection.put(connectionId, before.withAuth(0, null, false));
            emailLog.info(
                    "connection={} state=RESUMED by an admin after {} refused sign-ins",
                    nameOf(connectionId),
                    before.authFailures());
        }
    }

    /**
     * A poll ended. {@code failedMessages} of its messages failed (left unread at their source), {@code progressed}
     * were stored, found duplicate or quarantined; {@code code}/{@code message} say why the last one failed.
     */
    public void pollEnded(String routeId, int progressed, int failedMessages, String code, String message) {
        if (failedMessages > 0 && progressed == 0) {
            // Nothing moved: the mailbox is stuck as surely as if the poll itself had failed.
            pollFailed(
                    routeId,
                    code,
                    failedMessages + " message(s) failed and none got through: " + message,
                    failedMessages);
            return;
        }
        Long id = connectionOfRoute.get(routeId);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Snapshot before = byConnection.getOrDefault(id, Snapshot.EMPTY);
        if (failedMessages > 0) {
            String reason = failedMessages + " message(s) of the last poll failed and stay unread: " + message;
            if (!before.degraded() || !code.equals(before.lastErrorCode())) {
                emailLog.warn(
                        "connection={} route={} state=DEGRADED code={} error={}",
                        nameOf(routeId),
                        routeId,
                        code,
                        reason);
            }
            byConnection.put(
                    id,
                    new Snapshot(
                            now,
                            now,
                            before.lastFailureAt(),
                            code,
                            reason,
                            null,
                            false,
                            failedMessages,
                            0,
                            null,
                            false));
            return;
        }
        if (before.failing() || before.degraded()) {
            emailLog.info(
                    "connection={} route={} state=RUNNING recovered after {}",
                    nameOf(routeId),
                    routeId,
                    before.lastErrorCode());
        }
        byConnection.put(
                id,
                new Snapshot(
                        now,
                        now,
                        before.lastFailureAt(),
                        before.lastErrorCode(),
                        before.lastError(),
                        null,
                        false,
                        0,
                        0,
                        null,
                        false));
    }

    public void pollFailed(String routeId, String code, String message) {
        pollFailed(routeId, code, message, 0);
    }

    private void pollFailed(String routeId, String code, String message, int failedMessages) {
        Long id = connectionOfRoute.get(routeId);
        if (id == null) {
            return;
        }
        Instant now = clock.instant();
        Snapshot before = byConnection.getOrDefault(id, Snapshot.EMPTY);
        // Another failure (a timeout, say) between two refusals does not make the password right: keep counting,
        // unless messages were fetched, which needs a successful sign-in.
        int authFailures = failedMessages > 0 ? 0 : before.authFailures();
        Instant nextTry = null;
        boolean paused = false;
        String reason = message;
        if (AUTH_FAILED.equals(code)) {
            authFailures++;
            paused = authRetry.pausesAt(authFailures);
            if (paused) {
                reason = "The server refused the email address or password " + authFailures + " times in a row; "
                        + "mailgate stopped trying so that the account is not locked out. Correct the password, "
                        + "or resume the connection.";
            } else {
                nextTry = now.plus(authRetry.delayAfter(authFailures));
                reason = message + " Next try at " + nextTry + " (refused " + authFailures + " time(s) in a row).";
            }
        }
        if (paused && !before.authPaused()) {
            emailLog.warn(
                    "connection={} route={} state=PAUSED_AUTH code={} failures={} error={}",
                    nameOf(routeId),
                    routeId,
                    code,
                    authFailures,
                    reason);
        } else if (!before.failing() || !code.equals(before.lastErrorCode())) {
            emailLog.warn(
                    "connection={} route={} state=FAILING code={} error={}", nameOf(routeId), routeId, code, reason);
        }
        byConnection.put(
                id,
                new Snapshot(
                        now,
                        before.lastSuccessAt(),
                        now,
                        code,
                        reason,
                        null,
                        before.needsConsent(),
                        failedMessages,
                        authFailures,
                        nextTry,
                        paused));
    }

    /** {@code org/apiName}, as every email log line names a connection. */
    private static String nameOf(String routeId) {
        ConnectionRef ref = ConnectionRef.ofRoute(routeId);
        return ref == null ? routeId : ref.name();
    }

    private String nameOf(long connectionId) {
        return connectionOfRoute.entrySet().stream()
                .filter(e -> e.getValue() == connectionId)
                .map(e -> nameOf(e.getKey()))
                .findFirst()
                .orElse(String.valueOf(connectionId));
    }

    public Snapshot snapshot(long connectionId) {
        return byConnection.getOrDefault(connectionId, Snapshot.EMPTY);
    }
}

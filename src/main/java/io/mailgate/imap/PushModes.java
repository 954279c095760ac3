package io.mailgate.imap;

import io.mailgate.ingest.ConnectionRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether each IMAP connection is pushed to (IDLE) or polls, and why; for the connection status. A switch is
 * written to the email log once; every IDLE wake-up is counted ({@code mailgate.imap.idle.wakeups}).
 */
@Component
public class PushModes {

    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    /** @param mode PUSH or POLL; @param reason why it polls (null while pushing) */
    public record Mode(String mode, String reason) {}

    private final Map<String, Mode> byRoute = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    PushModes(MeterRegistry meters) {
        this.meters = meters;
    }

    public Optional<Mode> of(String routeId) {
        return Optional.ofNullable(byRoute.get(routeId));
    }

    void push(String routeId) {
        set(routeId, new Mode("PUSH", null));
    }

    void poll(String routeId, String reason) {
        set(routeId, new Mode("POLL", reason));
    }

    private void set(String routeId, Mode mode) {
        if (routeId == null) {
            return;
        }
        Mode before = byRoute.put(routeId, mode);
        if (before != null && !before.mode().equals(mode.mode())) {
            emailLog.info(
                    "connection={} route={} mode={} reason={}",
                    connectionName(routeId),
                    routeId,
                    mode.mode(),
                    mode.reason() == null ? "IDLE" : mode.reason());
        }
    }

    void wokenUp(String routeId) {
        Counter.builder("mailgate.imap.idle.wakeups")
                .description("IMAP IDLE notifications that started a drain")
                .tag("connection", connectionName(routeId))
                .register(meters)
                .increment();
    }

    void forget(String routeId) {
        if (routeId != null) {
            byRoute.remove(routeId);
        }
    }

    /** org/apiName from the route id imap-&lt;org&gt;-&lt;apiName&gt;, as the other email log lines name it. */
    private static String connectionName(String routeId) {
        var ref = ConnectionRef.ofRoute(routeId);
        return ref == null ? String.valueOf(routeId) : ref.name();
    }
}

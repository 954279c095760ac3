package io.mailgate.push;

import io.mailgate.component.mailbox.PushModeListener;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Whether each Graph or EWS connection is pushed to (change notifications) or polls, and why, by route id; for the
 * connection status, as {@code io.mailgate.imap.PushModes} is for IMAP. A switch is written to the email log once.
 */
@Component
public class SourceModes {

    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    /** @param mode PUSH or POLL; @param reason why it polls (null while pushed to) */
    public record Mode(String mode, String reason) {}

    private final Map<String, Mode> byRoute = new ConcurrentHashMap<>();

    /** What a source component reports its mode to, for one route. */
    public PushModeListener listener(String routeId) {
        return new PushModeListener() {
            @Override
            public void mode(boolean push, String reason) {
                if (push) {
                    push(routeId);
                } else {
                    poll(routeId, reason);
                }
            }

            @Override
            public void forget() {
                SourceModes.this.forget(routeId);
            }

            @Override
            public String toString() {
                return "PushModeListener[" + routeId + "]";
            }
        };
    }

    public Optional<Mode> of(String routeId) {
        return Optional.ofNullable(routeId == null ? null : byRoute.get(routeId));
    }

    public void push(String routeId) {
        set(routeId, new Mode("PUSH", null));
    }

    public void poll(String routeId, String reason) {
        set(routeId, new Mode("POLL", reason));
    }

    public void forget(String routeId) {
        if (routeId != null) {
            byRoute.remove(routeId);
        }
    }

    private void set(String routeId, Mode mode) {
        if (routeId == null) {
            return;
        }
        Mode before = byRoute.put(routeId, mode);
        if (before == null || !before.mode().equals(mode.mode())) {
            emailLog.info(
                    "route={} mode={} reason={}",
                    routeId,
                    mode.mode(),
                    mode.reason() == null ? "change notifications" : mode.reason());
        }
    }
}

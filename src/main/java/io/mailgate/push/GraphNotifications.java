package io.mailgate.push;

import io.mailgate.component.msgraph.GraphPushChannel;
import io.mailgate.component.msgraph.GraphPushListener;
import io.mailgate.oauth.OAuthProperties;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The Graph subscriptions of this node's connections, and the channel each Graph route is given. Microsoft posts to
 * {@code <mailgate.oauth.public-url>/graph/notifications} (and {@code …/graph/lifecycle}); a notification counts only
 * when its subscription is one of ours and it carries that subscription's clientState, compared in constant time.
 * Its content is never used: it only makes the connection read its folder at once.
 */
@Component
public class GraphNotifications {

    static final String NOTIFICATION_PATH = "/graph/notifications";
    static final String LIFECYCLE_PATH = "/graph/lifecycle";
    private static final Logger LOG = LoggerFactory.getLogger(GraphNotifications.class);

    /** What a notification did. */
    enum Outcome {
        DELIVERED,
        UNKNOWN_SUBSCRIPTION,
        WRONG_CLIENT_STATE
    }

    private record Registered(String routeId, byte[] clientState, GraphPushListener listener) {}

    private final Map<String, Registered> bySubscription = new ConcurrentHashMap<>();
    private final OAuthProperties oauth;
    private final SourceModes modes;
    private final boolean allowLocalUrl;

    GraphNotifications(
            OAuthProperties oauth,
            SourceModes modes,
            @Value("${mailgate.push.allow-local-url:false}") boolean allowLocalUrl) {
        this.oauth = oauth;
        this.modes = modes;
        this.allowLocalUrl = allowLocalUrl;
    }

    /**
     * The channel of one route.
     *
     * @param push the connection's polling.push: off, the route polls and says so
     */
    public GraphPushChannel channel(String routeId, boolean push) {
        return new Channel(routeId, push);
    }

    /** Why Microsoft cannot reach mailgate at its public URL, or null when it can be expected to. */
    String unreachableReason() {
        URI base = oauth.publicUrl();
        if (allowLocalUrl) {
            return null;
        }
        if (!"https".equalsIgnoreCase(base.getScheme())) {
            return "mailgate.oauth.public-url (" + base + ") is not an HTTPS address, and Microsoft posts change"
                    + " notifications over HTTPS only";
        }
        if (isLocal(base.getHost())) {
            return "mailgate.oauth.public-url (" + base + ") names this machine, which Microsoft cannot reach";
        }
        return null;
    }

    private static boolean isLocal(String host) {
        if (host == null) {
            return true;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || h.endsWith(".local")) {
            return true;
        }
        if (h.matches("[0-9.]+") || h.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(h.replace("[", "").replace("]", ""));
                return address.isLoopbackAddress()
                        || address.isSiteLocalAddress()
                        || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress();
            } catch (Exception e) {
                return true;
            }
        }
        return false;
    }

    private String url(String path) {
        String base = oauth.publicUrl().toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    /** Hands a notification to its connection when it is ours and its clientState is right; never throws. */
    Outcome notified(String subscriptionId, String clientState, String lifecycleEvent) {
        Registered registered = subscriptionId == null ? null : bySubscription.get(subscriptionId);
        if (registered == null) {
            LOG.debug("Graph notification for unknown subscription {} ignored", safe(subscriptionId));
            return Outcome.UNKNOWN_SUBSCRIPTION;
        }
        byte[] given = clientState == null ? new byte[0] : clientState.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(registered.clientState(), given)) {
            LOG.warn(
                    "Graph notification for subscription {} (route {}) with a wrong clientState ignored",
                    safe(subscriptionId),
                    registered.routeId());
            return Outcome.WRONG_CLIENT_STATE;
        }
        try {
            if (lifecycleEvent == null) {
                registered.listener().changed();
            } else {
                LOG.info(
                        "Graph lifecycle notification {} for subscription {} (route {})",
                        safe(lifecycleEvent),
                        subscriptionId,
                        registered.routeId());
                registered.listener().lifecycle(lifecycleEvent);
            }
        } catch (RuntimeException e) {
            LOG.warn("Graph notification for route {} not handed over: {}", registered.routeId(), e.toString());
        }
        return Outcome.DELIVERED;
    }

    /** An id from the outside, fit for a log line: short, no line breaks. */
    private static String safe(String text) {
        if (text == null) {
            return "(none)";
        }
        String t = text.replaceAll("[^A-Za-z0-9._-]", "?");
        return t.length() > 64 ? t.substring(0, 64) + "…" : t;
    }

    private final class Channel implements GraphPushChannel {
        private final String routeId;
        private final boolean push;

        Channel(String routeId, boolean push) {
            this.routeId = routeId;
            this.push = push;
        }

        @Override
        public String notificationUrl() {
            return unavailableReason() == null ? url(NOTIFICATION_PATH) : null;
        }

        @Override
        public String lifecycleNotificationUrl() {
            return unavailableReason() == null ? url(LIFECYCLE_PATH) : null;
        }

        @Override
        public String unavailableReason() {
            if (!push) {
                return "push is off";
            }
            String unreachable = unreachableReason();
            return unreachable == null ? null : "no change notifications: " + unreachable;
        }

        @Override
        public void register(String subscriptionId, String clientState, GraphPushListener listener) {
            bySubscription.put(
                    subscriptionId, new Registered(routeId, clientState.getBytes(StandardCharsets.UTF_8), listener));
        }

        @Override
        public void unregister(String subscriptionId) {
            bySubscription.remove(subscriptionId);
        }

        @Override
        public void mode(boolean pushed, String reason) {
            if (pushed) {
                modes.push(routeId);
            } else {
                modes.poll(routeId, reason);
            }
        }

        @Override
        public void forget() {
            bySubscription.values().removeIf(r -> r.routeId().equals(routeId));
            modes.forget(routeId);
        }

        @Override
        public String toString() {
            return "GraphPushChannel[" + routeId + ", push=" + push + "]";
        }
    }
}

package io.mailgate.component.msgraph;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one change-notification subscription on the consumer's folder: creates it when the consumer starts (Graph
 * validates the notification URL then), renews it at half its lifetime (mail allows at most 4,230 minutes), renews
 * it at once on reauthorizationRequired, creates a new one on subscriptionRemoved or when Graph no longer knows it,
 * and deletes it when the consumer stops. While there is none, the consumer polls and the channel says why; a
 * failed creation is tried again later. All of it runs on one thread of its own, never on the poll's.
 */
final class GraphSubscriptionKeeper implements GraphPushListener {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSubscriptionKeeper.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Microsoft's maximum lifetime of a subscription on Outlook messages. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(4230);

    private final String name;
    private final Supplier<MsGraphMailClient> client;
    private final Supplier<String> folderId;
    private final GraphPushChannel channel;
    private final Runnable wake;
    private final Duration lifetime;
    private final Duration retry;
    private final long pollSeconds;
    private final ScheduledExecutorService executor;
    private final Clock clock = Clock.systemUTC();

    private volatile MsGraphMailClient.Subscription subscription;
    private volatile boolean stopped;
    private ScheduledFuture<?> next;

    /**
     * @param folderId resolves the folder (a Graph call), run on the keeper's thread
     * @param retry    how long after a failed creation or renewal it is tried again
     */
    GraphSubscriptionKeeper(
            String name,
            Supplier<MsGraphMailClient> client,
            Supplier<String> folderId,
            GraphPushChannel channel,
            Runnable wake,
            Duration lifetime,
            Duration retry,
            long pollSeconds,
            ScheduledExecutorService executor) {
        this.name = name;
        this.client = client;
        this.folderId = folderId;
        this.channel = channel;
        this.wake = wake;
        this.lifetime = lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime;
        this.retry = retry;
        this.pollSeconds = pollSeconds;
        this.executor = executor;
    }

    void start() {
        if (channel.notificationUrl() == null) {
            channel.mode(false, channel.unavailableReason());
            return;
        }
        channel.mode(false, "subscribing to change notifications");
        schedule(this::create, Duration.ZERO);
    }

    /** Deletes the subscription (best effort: Graph ends it by itself at its expiration anyway). */
    void stop() {
        stopped = true;
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        }
        MsGraphMailClient.Subscription current = subscription;
        subscription = null;
        if (current != null) {
            channel.unregister(current.id());
            try {
                client.get().unsubscribe(current.id());
                LOG.info("ms-graph-mail:{} deleted change-notification subscription {}", name, current.id());
            } catch (Exception e) {
                LOG.info(
                        "ms-graph-mail:{} could not delete subscription {} ({}); Graph ends it at {}",
                        name,
                        current.id(),
                        e.getMessage(),
                        current.expiration());
            }
        }
        channel.forget();
    }

    boolean subscribed() {
        return subscription != null;
    }

    private void create() {
        String notificationUrl = channel.notificationUrl();
        if (notificationUrl == null) {
            channel.mode(false, channel.unavailableReason());
            return;
        }
        String clientState = clientState();
        try {
            MsGraphMailClient.Subscription created = client.get()
                    .subscribe(
                            folderId.get(),
                            notificationUrl,
                            channel.lifecycleNotificationUrl(),
                            clientState,
                            clock.instant().plus(lifetime));
            if (stopped) { // the consumer stopped while Graph was creating it: do not leave it behind
                client.get().unsubscribe(created.id());
                return;
            }
            subscription = created;
            channel.register(created.id(), clientState, this);
            channel.mode(true, null);
            LOG.info(
                    "ms-graph-mail:{} subscribed to change notifications (subscription {}, until {})",
                    name,
                    created.id(),
                    created.expiration());
            scheduleRenewal(created);
            wake.run(); // what arrived while subscribing
        } catch (Exception e) {
            channel.mode(
                    false,
                    "no change notifications: " + reason(e) + "; polling every " + pollSeconds
                            + " s, subscribing again in " + retry.toMinutes() + " min");
            LOG.warn("ms-graph-mail:{} change-notification subscription failed: {}", name, reason(e));
            schedule(this::create, retry);
        }
    }

    private void renew() {
        MsGraphMailClient.Subscription current = subscription;
        if (current == null) {
            create();
            return;
        }
        try {
            MsGraphMailClient.Subscription renewed =
                    client.get().renew(current.id(), clock.instant().plus(lifetime));
            subscription = renewed;
            channel.mode(true, null);
            LOG.debug("ms-graph-mail:{} renewed subscription {} until {}", name, renewed.id(), renewed.expiration());
            scheduleRenewal(renewed);
        } catch (GraphException e) {
            if (e.status() == 404) {
                LOG.info(
                        "ms-graph-mail:{} Graph no longer knows subscription {}; subscribing again",
                        name,
                        current.id());
                replace(current);
                return;
            }
            failedRenewal(current, e);
        } catch (Exception e) {
            failedRenewal(current, e);
        }
    }

    private void failedRenewal(MsGraphMailClient.Subscription current, Exception e) {
        LOG.warn("ms-graph-mail:{} renewing subscription {} failed: {}", name, current.id(), reason(e));
        if (!clock.instant().plus(retry).isBefore(current.expiration())) {
            channel.mode(
                    false,
                    "the change-notification subscription could not be renewed (" + reason(e) + "); polling every "
                            + pollSeconds + " s");
        }
        schedule(this::renew, retry);
    }

    private void replace(MsGraphMailClient.Subscription current) {
        channel.unregister(current.id());
        subscription = null;
        create();
    }

    private void scheduleRenewal(MsGraphMailClient.Subscription s) {
        Duration left = Duration.between(clock.instant(), s.expiration());
        Duration half = left.dividedBy(2);
        schedule(this::renew, half.isNegative() ? Duration.ZERO : half);
    }

    private synchronized void schedule(Runnable task, Duration after) {
        if (executor.isShutdown()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        next = executor.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("ms-graph-mail:{} subscription upkeep failed: {}", name, e.toString());
                    }
                },
                Math.max(0, after.toMillis()),
                TimeUnit.MILLISECONDS);
    }

    // ---- notifications (on the web server's thread: only hand over) ----

    @Override
    public void changed() {
        wake.run();
    }

    @Override
    public void lifecycle(String event) {
        MsGraphMailClient.Subscription current = subscription;
        switch (event == null ? "" : event) {
            case "reauthorizationRequired" -> schedule(this::renew, Duration.ZERO);
            case "subscriptionRemoved" -> {
                if (current != null) {
                    schedule(() -> replace(current), Duration.ZERO);
                }
                wake.run();
            }
            case "missed" -> wake.run();
            default -> LOG.debug("ms-graph-mail:{} ignored lifecycle event {}", name, event);
        }
    }

    private static String clientState() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A sentence: Graph's message without exception class names. */
    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}

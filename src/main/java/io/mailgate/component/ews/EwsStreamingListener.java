package io.mailgate.component.ews;

import io.mailgate.component.mailbox.PushModeListener;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EWS streaming notifications for one consumer, on a thread and an HTTP connection of their own: subscribes to new
 * mail in the folder, keeps its event stream open (GetStreamingEvents for connectionTimeout minutes, below Exchange's
 * 30, opened again as soon as Exchange closes it, so the subscription never goes 30 minutes without a stream),
 * subscribes again when Exchange no longer knows the subscription, and on every new-mail event, and after every
 * (re)connection, wakes the consumer to poll. An event's content is never used. While there is no stream, the
 * consumer polls and says why; a failure is tried again after retryDelay.
 */
final class EwsStreamingListener implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EwsStreamingListener.class);
    /** Exchange's answers meaning the subscription is gone: subscribe again. */
    private static final Set<String> SUBSCRIPTION_GONE = Set.of(
            "ErrorSubscriptionNotFound",
            "ErrorExpiredSubscription",
            "ErrorInvalidSubscription",
            "ErrorSubscriptionAccessDenied",
            "ErrorSubscriptionDelegateAccessNotSupported");

    private final String name;
    private final EwsClient client;
    private final Supplier<EwsFolder> folder;
    private final Runnable wake;
    private final PushModeListener modes;
    private final int minutes;
    private final long retryDelay;
    private final long pollSeconds;
    private volatile boolean running = true;
    private volatile String subscriptionId;
    private volatile Thread thread;

    EwsStreamingListener(
            String name,
            EwsClient client,
            Supplier<EwsFolder> folder,
            Runnable wake,
            PushModeListener modes,
            int minutes,
            long retryDelay,
            long pollSeconds) {
        this.name = name;
        this.client = client;
        this.folder = folder;
        this.wake = wake;
        this.modes = modes;
        this.minutes = Math.max(1, Math.min(minutes, 30));
        this.retryDelay = retryDelay;
        this.pollSeconds = pollSeconds;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        modes.mode(false, "subscribing to streaming notifications");
        while (running) {
            try {
                if (subscriptionId == null) {
                    subscriptionId = client.subscribeStreaming(folder.get());
                    LOG.info("{}: subscribed to EWS streaming notifications", name);
                }
                String current = subscriptionId;
                boolean[] open = {false};
                client.streamEvents(current, minutes, envelope -> {
                    if (envelope.responseCode() != null && SUBSCRIPTION_GONE.contains(envelope.responseCode())) {
                        LOG.info(
                                "{}: Exchange no longer knows the subscription ({}); subscribing again",
                                name,
                                envelope.responseCode());
                        subscriptionId = null;
                        return;
                    }
                    if (envelope.responseCode() != null && !"NoError".equals(envelope.responseCode())) {
                        throw new EwsException(
                                EwsException.Code.SERVER_ERROR,
                                null,
                                "GetStreamingEvents answered " + envelope.responseCode(),
                                envelope.responseCode(),
                                null,
                                null);
                    }
                    if (!open[0]) {
                        open[0] = true;
                        modes.mode(true, null);
                        wake.run(); // what arrived while no stream was open
                    }
                    if (envelope.newMail()) {
                        wake.run();
                    }
                });
                // Closed after connectionTimeout minutes (or the subscription was gone): open again at once
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                String reason = e instanceof EwsException ews
                        ? ews.getMessage()
                        : "the event stream broke ("
                                + (e.getCause() != null && e.getCause().getMessage() != null
                                        ? e.getCause().getMessage()
                                        : e.getClass().getSimpleName())
                                + ")";
                if (e instanceof EwsException ews
                        && ews.code() == EwsException.Code.SERVER_ERROR
                        && reason != null
                        && reason.contains("streaming subscription")) {
                    subscriptionId = null;
                }
                modes.mode(
                        false,
                        "no streaming notifications: " + reason + "; polling every " + pollSeconds
                                + " s, trying again in " + Math.max(1, retryDelay / 1000) + " s");
                LOG.warn("{}: EWS streaming notifications failed: {}", name, reason);
                try {
                    Thread.sleep(retryDelay);
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
    }

    /**
     * Ends the stream (closing its connection).
     *
     * @return the subscription to unsubscribe, or null
     */
    String stop() {
        running = false;
        String current = subscriptionId;
        client.close(); // breaks the open stream
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        modes.forget();
        return current;
    }
}

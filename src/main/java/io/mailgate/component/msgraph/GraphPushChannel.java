package io.mailgate.component.msgraph;

import io.mailgate.component.mailbox.PushModeListener;

/**
 * How change notifications reach an endpoint: the URLs Microsoft posts to (mailgate's, outside this component),
 * the registry that hands a verified notification to the endpoint's consumer, and where the consumer says whether
 * it is pushed to or polls, and why.
 */
public interface GraphPushChannel extends PushModeListener {

    /** Where Graph posts change notifications; null when Microsoft cannot reach mailgate ({@link #unavailableReason}). */
    String notificationUrl();

    /** Where Graph posts lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed). */
    String lifecycleNotificationUrl();

    /** Why there are no notifications (push is off, no public HTTPS URL …); null when {@link #notificationUrl} is set. */
    String unavailableReason();

    /**
     * From now on, notifications of {@code subscriptionId} that carry {@code clientState} go to {@code listener}.
     * The client state is a secret: never logged.
     */
    void register(String subscriptionId, String clientState, GraphPushListener listener);

    void unregister(String subscriptionId);
}

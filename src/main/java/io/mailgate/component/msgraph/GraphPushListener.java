package io.mailgate.component.msgraph;

/** What a verified notification does to a consumer. A notification's content is never trusted, only its arrival. */
public interface GraphPushListener {

    /** Something changed in the folder: run a delta round now. */
    void changed();

    /** A lifecycle notification: reauthorizationRequired, subscriptionRemoved or missed. */
    void lifecycle(String event);
}

package io.mailgate.component.mailbox;

/** Where a source consumer says whether it is pushed to (notifications) or polls, and why; for the status. */
public interface PushModeListener {

    /** The consumer is pushed to ({@code reason} null) or polls, and why. */
    void mode(boolean push, String reason);

    /** The consumer stopped: nothing to report any more. */
    void forget();
}

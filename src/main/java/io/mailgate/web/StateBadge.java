package io.mailgate.web;

import io.mailgate.connection.ConnectionStatusView;
import io.mailgate.connection.ConnectionView;

/**
 * A connection's state as the pages show it: a word, a colour and why. "Disabled" is an admin's choice on this
 * page; "Stopped" is a route stopped elsewhere (Hawtio's word), shown with its reason. A running connection that
 * decrypts mail but has no key says so instead of "Running", since every encrypted message would be quarantined.
 */
record StateBadge(String label, String css, String reason) {

    static StateBadge of(ConnectionView connection, ConnectionStatusView status) {
        if (!connection.enabled()) {
            return new StateBadge("Disabled", "DISABLED", null);
        }
        String reason = status.reason() != null ? status.reason() : status.lastError();
        return switch (status.state()) {
            case RUNNING ->
                connection.decryption() != null
                                && connection.decryption().enabled()
                                && !connection.decryption().keyInstalled()
                        ? new StateBadge(
                                "No decryption key",
                                "NEEDS_CONSENT",
                                "Decryption is enabled but no key is "
                                        + "installed: encrypted messages are quarantined until one is uploaded.")
                        : new StateBadge("Running", "RUNNING", null);
            case STOPPED -> new StateBadge("Stopped", "STOPPED", reason);
            case FAILING -> new StateBadge("Failing", "FAILING", reason);
            // messages flow, but some of the last poll failed and stay unread
            case DEGRADED -> new StateBadge("Degraded", "FAILING", reason);
            // refused passwords: no more tries until the connection changes or is resumed (API …/resume)
            case PAUSED_AUTH -> new StateBadge("Paused: password refused", "FAILING", reason);
            case NEEDS_CONSENT -> new StateBadge("Needs consent", "NEEDS_CONSENT", reason);
        };
    }
}

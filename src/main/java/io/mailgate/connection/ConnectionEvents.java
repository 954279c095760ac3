package io.mailgate.connection;

/** Published inside the transaction that changed a connection; routes react only after it commits. */
public final class ConnectionEvents {

    private ConnectionEvents() {}

    public record Changed(long connectionId) {}

    public record Removed(long connectionId, String routeId) {}
}

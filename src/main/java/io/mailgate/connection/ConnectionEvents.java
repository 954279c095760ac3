package io.mailgate.connection;

/** Published inside the transaction that changed a connection; routes react only after it commits. */
final class ConnectionEvents {

    private ConnectionEvents() {
    }

    record Changed(long connectionId) {
    }

    record Removed(long connectionId, String routeId) {
    }
}

package io.mailgate.connection;

import java.time.Instant;

/**
 * GET …/connections/{apiName}/status. {@code node} is the mailgate node running the connection's route (with one
 * node, that node while the route is started), null while none does.
 */
public record ConnectionStatusView(ConnectionState state, String reason, Instant lastPollAt, Instant lastSuccessAt,
                                   String lastError, String lastErrorCode, long messagesIngested,
                                   long messagesQuarantined, String routeId, String routeStatus,
                                   String node) {
}

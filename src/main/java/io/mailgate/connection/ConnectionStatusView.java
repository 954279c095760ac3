package io.mailgate.connection;

import java.time.Instant;

/** GET …/connections/{apiName}/status. */
public record ConnectionStatusView(ConnectionState state, String reason, Instant lastPollAt, Instant lastSuccessAt,
                                   String lastError, String lastErrorCode, long messagesIngested,
                                   long messagesQuarantined, String routeId, String routeStatus) {
}

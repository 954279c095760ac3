package io.mailgate.connection;

import java.time.Instant;

/**
 * GET …/connections/{apiName}/status. {@code mode} is PUSH (IMAP IDLE) or POLL, {@code modeReason} why it polls
 * (push off, server has no IDLE, IDLE failed: …); null while the connection has no running source on this node.
 * {@code node} is the cluster node running the connection (null while none does).
 */
public record ConnectionStatusView(
        ConnectionState state,
        String reason,
        Instant lastPollAt,
        Instant lastSuccessAt,
        String lastError,
        String lastErrorCode,
        long messagesIngested,
        long messagesQuarantined,
        String routeId,
        String routeStatus,
        String mode,
        String modeReason,
        String node) {}

package io.mailgate.quarantine;

import java.time.Instant;

/**
 * A quarantined message as the API lists it. messageId, subject, from (the first From address) and date come
 * from the message's top-level header block whenever it could be read, even when the rest could not.
 */
public record QuarantineView(
        long id,
        String connection,
        String reasonCode,
        String reason,
        String messageId,
        String subject,
        String from,
        Instant date,
        long size,
        String sha256,
        String status,
        Instant receivedAt,
        int retryCount,
        Instant lastRetryAt,
        Long emailMessageId) {

    static QuarantineView of(QuarantineEntity q) {
        return new QuarantineView(
                q.id,
                q.connectionApiName,
                q.reasonCode,
                q.reason,
                q.messageId,
                q.subject,
                q.fromAddress,
                q.sentAt,
                q.size,
                q.sha256,
                q.status.name(),
                q.receivedAt,
                q.retryCount,
                q.lastRetryAt,
                q.releasedMessageId);
    }
}

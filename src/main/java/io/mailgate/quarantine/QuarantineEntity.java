package io.mailgate.quarantine;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A message that could not be processed, kept with its raw bytes and the reason, until it is retried. */
@Entity
@Table(name = "quarantine")
class QuarantineEntity {

    enum Status {
        QUARANTINED,
        RELEASED
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "org_id", nullable = false)
    long orgId;

    @Column(name = "connection_id")
    Long connectionId;

    @Column(name = "connection_api_name", nullable = false)
    String connectionApiName;

    @Column(name = "raw_content_id", nullable = false)
    long rawContentId;

    @Column(name = "source_position")
    String sourcePosition;

    @Column(name = "reason_code", nullable = false)
    String reasonCode;

    @Column(nullable = false, length = 2000)
    String reason;

    @Column(name = "message_id")
    String messageId;

    @Column(columnDefinition = "TEXT")
    String subject;

    @Column(name = "from_address")
    String fromAddress;

    @Column(name = "from_name")
    String fromName;

    @Column(name = "sent_at")
    Instant sentAt;

    @Column(nullable = false)
    long size;

    @Column(nullable = false)
    String sha256;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    Status status;

    @Column(name = "received_at", nullable = false)
    Instant receivedAt;

    @Column(name = "retry_count", nullable = false)
    int retryCount;

    @Column(name = "last_retry_at")
    Instant lastRetryAt;

    @Column(name = "released_message_id")
    Long releasedMessageId;
}

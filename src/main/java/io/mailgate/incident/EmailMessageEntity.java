package io.mailgate.incident;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One ingested message: its parsed form, and a reference to its raw bytes exactly as fetched. */
@Entity
@Table(name = "email_messages")
class EmailMessageEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "org_id", nullable = false)
    long orgId;

    @Column(name = "connection_id")
    Long connectionId;

    @Column(name = "connection_api_name", nullable = false)
    String connectionApiName;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "raw_content_id", nullable = false)
    long rawContentId;

    @Column(name = "dedup_key", nullable = false)
    String dedupKey;

    @Column(name = "source_position")
    String sourcePosition;

    @Column(name = "message_id")
    String messageId;

    @Column(name = "message_id_reused", nullable = false)
    boolean messageIdReused;

    @Column(name = "in_reply_to")
    String inReplyTo;

    @Column(name = "references_json", nullable = false, columnDefinition = "TEXT")
    String referencesJson;

    @Column(columnDefinition = "TEXT")
    String subject;

    @Column(name = "from_address")
    String fromAddress;

    @Column(name = "from_name")
    String fromName;

    @Column(name = "to_json", nullable = false, columnDefinition = "TEXT")
    String toJson;

    @Column(name = "cc_json", nullable = false, columnDefinition = "TEXT")
    String ccJson;

    @Column(name = "sent_at")
    Instant sentAt;

    @Column(name = "received_at", nullable = false)
    Instant receivedAt;

    @Column(nullable = false)
    long size;

    @Column(nullable = false)
    String sha256;

    @Column(nullable = false)
    String fingerprint;

    @Column(nullable = false)
    boolean encrypted;

    @Column(nullable = false)
    boolean decrypted;

    @Column(nullable = false)
    String signature;

    @Column(name = "encryption_format", nullable = false)
    String encryptionFormat;

    @Column(name = "decrypted_with", length = 2000)
    String decryptedWith;

    @Column(length = 998)
    String signer;

    @Column(name = "signer_certificate", length = 2000)
    String signerCertificate;

    @Column(name = "link_reason", nullable = false)
    String linkReason;

    @Column(name = "headers_json", nullable = false, columnDefinition = "TEXT")
    String headersJson;

    @Column(name = "attachments_json", nullable = false, columnDefinition = "TEXT")
    String attachmentsJson;

    @Column(name = "text_body", columnDefinition = "TEXT")
    String textBody;

    @Column(name = "html_body", columnDefinition = "TEXT")
    String htmlBody;

    @Column(name = "reported_json", columnDefinition = "TEXT")
    String reportedJson;
}

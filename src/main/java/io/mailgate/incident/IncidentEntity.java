package io.mailgate.incident;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An incident made from, or fed by, inbound email. */
@Entity
@Table(name = "incidents")
class IncidentEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "org_id", nullable = false)
    private long orgId;

    @Column(name = "connection_id")
    private Long connectionId;

    @Column(name = "connection_api_name")
    private String connectionApiName;

    @Column(nullable = false, length = 1000)
    private String title;

    @Column(nullable = false)
    private String status;

    /**
     * Position in the change feed, given by the {@link ChangeSequencer} after the change committed; null for a
     * new incident until then (readers skip it for those few milliseconds).
     */
    @Column(name = "change_seq")
    private Long changeSeq;

    /** Changed since its position was given: the sequencer gives it the next one. */
    @Column(name = "change_pending", nullable = false)
    private boolean changePending;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected IncidentEntity() {}

    Long getId() {
        return id;
    }

    long getOrgId() {
        return orgId;
    }

    String getConnectionApiName() {
        return connectionApiName;
    }

    String getTitle() {
        return title;
    }

    String getStatus() {
        return status;
    }

    Long getChangeSeq() {
        return changeSeq;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }
}

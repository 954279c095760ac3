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

    /** Position in the org's change feed; bumped by every change so a SOAR pages in commit order. */
    @Column(name = "change_seq", nullable = false)
    private long changeSeq;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected IncidentEntity() {
    }

    IncidentEntity(long orgId, Long connectionId, String connectionApiName, String title, long changeSeq, Instant now) {
        this.orgId = orgId;
        this.connectionId = connectionId;
        this.connectionApiName = connectionApiName;
        this.title = title;
        this.status = "OPEN";
        this.changeSeq = changeSeq;
        this.createdAt = now;
        this.updatedAt = now;
    }

    void changed(long changeSeq, Instant now) {
        this.changeSeq = changeSeq;
        this.updatedAt = now;
    }

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

    long getChangeSeq() {
        return changeSeq;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getUpdatedAt() {
        return updatedAt;
    }
}

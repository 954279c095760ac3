package io.mailgate.incident;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An observable found in a message (URL, domain, address, hash...), attached to the message's incident. */
@Entity
@Table(name = "artifacts")
class ArtifactEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "incident_id", nullable = false)
    long incidentId;

    @Column(name = "message_id", nullable = false)
    long messageId;

    @Column(nullable = false)
    String type;

    @Column(name = "artifact_value", nullable = false, length = 2048)
    String value;

    @Column(name = "found_in")
    String foundIn;

    protected ArtifactEntity() {}

    ArtifactEntity(long incidentId, long messageId, String type, String value, String foundIn) {
        this.incidentId = incidentId;
        this.messageId = messageId;
        this.type = type;
        this.value = value;
        this.foundIn = foundIn;
    }
}

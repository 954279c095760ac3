package io.mailgate.connection;

import io.mailgate.tls.CertificateInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A certificate an admin trusted for one connection only (a server's or its proxy's). */
@Entity
@Table(name = "trusted_certificates")
public class TrustedCertificateEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "connection_id", nullable = false)
    private long connectionId;

    @Column(nullable = false)
    private String sha256;

    @Column(nullable = false, length = 2000)
    private String subject;

    @Column(nullable = false, length = 2000)
    private String issuer;

    @Column(name = "not_after", nullable = false)
    private Instant notAfter;

    @Column(nullable = false, columnDefinition = "TEXT")
    private String pem;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected TrustedCertificateEntity() {}

    TrustedCertificateEntity(long connectionId, CertificateInfo info, Instant now) {
        this.connectionId = connectionId;
        this.sha256 = info.sha256();
        this.subject = info.subject();
        this.issuer = info.issuer();
        this.notAfter = info.notAfter();
        this.pem = info.pem();
        this.createdAt = now;
    }

    public long getConnectionId() {
        return connectionId;
    }

    public String getSha256() {
        return sha256;
    }

    public String getSubject() {
        return subject;
    }

    public String getIssuer() {
        return issuer;
    }

    public Instant getNotAfter() {
        return notAfter;
    }

    public String getPem() {
        return pem;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}

package io.mailgate.account;

import io.mailgate.api.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An organization's API key. Only its SHA-256 is stored; the key is shown once, at creation. */
@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long orgId;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(nullable = false, length = 8)
    private String keyPrefix;

    @Column(nullable = false, unique = true, length = 64)
    private String keyHash;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // a portable VARCHAR + CHECK, not H2's native ENUM
    @Column(nullable = false, length = 16)
    private Role role;

    @Column(nullable = false)
    private Instant createdAt;

    private Instant lastUsedAt;

    protected ApiKey() {
        // for JPA
    }

    ApiKey(long orgId, String name, String keyPrefix, String keyHash, Role role) {
        this.orgId = orgId;
        this.name = name;
        this.keyPrefix = keyPrefix;
        this.keyHash = keyHash;
        this.role = role;
        this.createdAt = Timestamps.now();
    }

    Long getId() {
        return id;
    }

    long getOrgId() {
        return orgId;
    }

    String getName() {
        return name;
    }

    String getKeyPrefix() {
        return keyPrefix;
    }

    Role getRole() {
        return role;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getLastUsedAt() {
        return lastUsedAt;
    }

    @Override
    public String toString() {
        // never the hash
        return "ApiKey[id=" + id + ", orgId=" + orgId + ", prefix=" + keyPrefix + ", role=" + role + "]";
    }
}

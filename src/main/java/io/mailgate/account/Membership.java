package io.mailgate.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A user's role in one organization. Plain ids, not associations: nothing here needs navigation. */
@Entity
@Table(name = "memberships")
class Membership {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false)
    private long userId;

    @Column(nullable = false)
    private long orgId;

    @Enumerated(EnumType.STRING)
    @JdbcTypeCode(SqlTypes.VARCHAR) // a portable VARCHAR + CHECK, not H2's native ENUM
    @Column(nullable = false, length = 16)
    private Role role;

    protected Membership() {
        // for JPA
    }

    Membership(long userId, long orgId, Role role) {
        this.userId = userId;
        this.orgId = orgId;
        this.role = role;
    }

    long getUserId() {
        return userId;
    }

    long getOrgId() {
        return orgId;
    }

    Role getRole() {
        return role;
    }

    void setRole(Role role) {
        this.role = role;
    }
}

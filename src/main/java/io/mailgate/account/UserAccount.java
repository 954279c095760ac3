package io.mailgate.account;

import io.mailgate.api.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A person who signs in with a password. Named so it does not clash with Spring Security's User. */
@Entity
@Table(name = "users")
public class UserAccount {

    /** No ':' (it would break Basic auth and could pose as "api-key:..." in audit logs). */
    static final String USERNAME_REGEX = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 100)
    private String username;

    @Column(nullable = false, length = 100)
    private String passwordHash;

    @Column(nullable = false)
    private boolean systemAdmin;

    @Column(nullable = false)
    private Instant createdAt;

    protected UserAccount() {
        // for JPA
    }

    UserAccount(String username, String passwordHash, boolean systemAdmin) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.systemAdmin = systemAdmin;
        this.createdAt = Timestamps.now();
    }

    Long getId() {
        return id;
    }

    String getUsername() {
        return username;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public boolean isSystemAdmin() {
        return systemAdmin;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        // never the hash
        return "UserAccount[id=" + id + ", username=" + username + ", systemAdmin=" + systemAdmin + "]";
    }
}

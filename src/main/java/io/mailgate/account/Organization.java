package io.mailgate.account;

import io.mailgate.api.Timestamps;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.regex.Pattern;

@Entity
@Table(name = "organizations")
class Organization {

    /** The only handles accepted; also used to reject path segments early without a query. */
    static final String HANDLE_REGEX = "^[a-z][a-z0-9_-]{1,63}$";

    static final Pattern HANDLE = Pattern.compile(HANDLE_REGEX);

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String handle;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false)
    private Instant createdAt;

    protected Organization() {
        // for JPA
    }

    Organization(String handle, String name) {
        this.handle = handle;
        this.name = name;
        this.createdAt = Timestamps.now();
    }

    Long getId() {
        return id;
    }

    String getHandle() {
        return handle;
    }

    String getName() {
        return name;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    OrgRef ref() {
        return new OrgRef(id, handle);
    }
}

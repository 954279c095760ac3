package io.mailgate.connection;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One inbound email connection of one organization. */
@Entity
@Table(name = "connections")
public class ConnectionEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "org_id", nullable = false)
    private long orgId;

    /** Denormalised: organization handles never change, and route ids and logs need it without a join. */
    @Column(name = "org_handle", nullable = false)
    private String orgHandle;

    @Column(name = "api_name", nullable = false, updatable = false)
    private String apiName;

    @Column(nullable = false)
    private String name;

    private String description;

    @Column(nullable = false)
    private boolean enabled;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Protocol protocol;

    @Convert(converter = ConnectionSettingsConverter.class)
    @Column(nullable = false, columnDefinition = "TEXT")
    private ConnectionSettings settings;

    /** Secret name → AES-GCM ciphertext; never the clear value. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "connection_secrets", joinColumns = @JoinColumn(name = "connection_id"))
    @MapKeyColumn(name = "name")
    @Column(name = "ciphertext", nullable = false, columnDefinition = "TEXT")
    private Map<String, String> secrets = new HashMap<>();

    @Version
    private long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** For an unsaved preview of a stored connection: that connection's id (the preview's own id stays null). */
    @Transient
    private Long previewOf;

    protected ConnectionEntity() {}

    ConnectionEntity(long orgId, String orgHandle, String apiName, Instant now) {
        this.orgId = orgId;
        this.orgHandle = orgHandle;
        this.apiName = apiName;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    /** This connection's id, or for a preview the id of the stored connection it previews, else null. */
    public Long savedId() {
        return id != null ? id : previewOf;
    }

    void previewOf(Long storedId) {
        this.previewOf = storedId;
    }

    public long getOrgId() {
        return orgId;
    }

    public String getOrgHandle() {
        return orgHandle;
    }

    public String getApiName() {
        return apiName;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public ConnectionSettings getSettings() {
        return settings;
    }

    Map<String, String> secrets() {
        return secrets;
    }

    public boolean hasSecret(SecretName name) {
        return secrets.containsKey(name.key());
    }

    public long getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** The route id of DESIGN.md: protocol-org-apiName. */
    public String routeId() {
        return protocol.routePrefix() + "-" + orgHandle + "-" + apiName;
    }

    void describe(String name, String description, boolean enabled) {
        this.name = name;
        this.description = description;
        this.enabled = enabled;
    }

    void configure(Protocol protocol, ConnectionSettings settings, Instant now) {
        this.protocol = protocol;
        this.settings = settings;
        this.updatedAt = now;
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    @Override
    public String toString() {
        return "Connection[" + orgHandle + "/" + apiName + ", " + protocol + "]";
    }
}

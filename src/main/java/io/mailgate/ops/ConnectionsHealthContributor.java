package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} has an entry {@code connections}, with one entry per organization and, in it, one per
 * connection ({@code /actuator/health/connections/default/phishing_reports}). A connection that fails, or should
 * run and does not, is {@code DEGRADED}: mailgate stays available (HTTP 200) while one mailbox is down.
 */
@Component("connectionsHealthContributor")
class ConnectionsHealthContributor implements CompositeHealthContributor {

    static final Status DEGRADED = new Status("DEGRADED", "A mailbox connection is failing or stopped");

    private final ConnectionRepository connections;
    private final ConnectionHealthView view;
    private final CredentialHealth credentials;

    ConnectionsHealthContributor(
            ConnectionRepository connections, ConnectionHealthView view, CredentialHealth credentials) {
        this.connections = connections;
        this.view = view;
        this.credentials = credentials;
    }

    @Override
    public HealthContributor getContributor(String org) {
        Map<String, HealthContributor> ofOrg = byOrg().get(org);
        return ofOrg == null ? null : CompositeHealthContributor.fromMap(ofOrg);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return byOrg().entrySet().stream()
                .map(e -> NamedContributor.<HealthContributor>of(
                        e.getKey(), CompositeHealthContributor.fromMap(e.getValue())))
                .iterator();
    }

    private Map<String, Map<String, HealthContributor>> byOrg() {
        Map<String, Map<String, HealthContributor>> orgs = new TreeMap<>();
        for (ConnectionEntity connection : connections.findAll()) {
            orgs.computeIfAbsent(connection.getOrgHandle(), o -> new TreeMap<>())
                    .put(connection.getApiName(), indicator(connection.getId()));
        }
        return orgs;
    }

    private HealthIndicator indicator(long connectionId) {
        return () -> connections
                .findById(connectionId)
                .map(this::health)
                .orElseGet(() -> Health.unknown().withDetail("state", "DELETED").build());
    }

    private Health health(ConnectionEntity connection) {
        ConnectionHealthView.State state = view.of(connection);
        List<CredentialHealth.Warning> warnings = credentials.warnings(connection);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("route", connection.routeId());
        details.put("state", state.state());
        putIfSet(details, "reason", state.reason());
        putIfSet(details, "lastErrorCode", state.lastErrorCode());
        putIfSet(details, "lastPollAt", state.lastPollAt());
        putIfSet(details, "lastSuccessAt", state.lastSuccessAt());
        if (!warnings.isEmpty()) {
            details.put("warnings", warnings);
        }
        return Health.status(state.degraded() ? DEGRADED : Status.UP)
                .withDetails(details)
                .build();
    }

    private static void putIfSet(Map<String, Object> details, String key, Object value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}

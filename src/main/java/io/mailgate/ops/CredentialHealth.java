package io.mailgate.ops;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionRepository;
import io.mailgate.connection.ConnectionStates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Warnings about a connection that still works but soon will not: no successful poll for
 * {@code mailgate.ops.max-silence}, or a credential expiring within {@code mailgate.ops.expiry-warning-days}.
 * Every {@code mailgate.ops.check-interval} the warnings are recomputed, published as the gauges
 * {@code mailgate.connection.warnings} and {@code mailgate.credential.expiry.days}, and a warning that appears is
 * written to the email log once. The status endpoint and the health entry ask {@link #warnings} directly.
 */
@Component
public class CredentialHealth implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CredentialHealth.class);
    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    /** @param code NO_SUCCESSFUL_POLL, CREDENTIAL_EXPIRING or CREDENTIAL_EXPIRED */
    public record Warning(String code, String message) {}

    private final ConnectionRepository connections;
    private final ConnectionStates states;
    private final List<CredentialExpirySource> sources;
    private final OpsProperties properties;
    private final MultiGauge warningGauge;
    private final MultiGauge expiryGauge;
    private final Clock clock = Clock.systemUTC();
    private final Instant startedAt = clock.instant();
    private final Map<Long, List<Warning>> lastWarnings = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;

    CredentialHealth(
            ConnectionRepository connections,
            ConnectionStates states,
            List<CredentialExpirySource> sources,
            OpsProperties properties,
            MeterRegistry registry) {
        this.connections = connections;
        this.states = states;
        this.sources = sources;
        this.properties = properties;
        this.warningGauge = MultiGauge.builder("mailgate.connection.warnings")
                .description("1 while the connection shows this warning")
                .register(registry);
        this.expiryGauge = MultiGauge.builder("mailgate.credential.expiry.days")
                .description("Days until the credential expires (negative: expired)")
                .register(registry);
    }

    /** The connection's warnings now; empty when all is well or the connection is disabled. */
    public List<Warning> warnings(ConnectionEntity connection) {
        List<Warning> warnings = new ArrayList<>();
        if (!connection.isEnabled()) {
            return warnings;
        }
        Instant now = clock.instant();
        Instant lastSuccess = states.snapshot(connection.getId()).lastSuccessAt();
        Instant since = lastSuccess != null
                ? lastSuccess
                : startedAt.isAfter(connection.getUpdatedAt()) ? startedAt : connection.getUpdatedAt();
        if (Duration.between(since, now).compareTo(properties.maxSilence()) > 0) {
            warnings.add(new Warning(
                    "NO_SUCCESSFUL_POLL",
                    lastSuccess == null
                            ? "No successful poll since the connection started ("
                                    + since.truncatedTo(ChronoUnit.SECONDS) + ")."
                            : "No successful poll since " + lastSuccess.truncatedTo(ChronoUnit.SECONDS) + "."));
        }
        for (CredentialExpirySource.Expiry expiry : expiries(connection)) {
            long days = daysLeft(expiry.notAfter(), now);
            String what = expiry.credential().replace('_', ' ') + " " + expiry.name();
            if (!expiry.notAfter().isAfter(now)) {
                warnings.add(
                        new Warning("CREDENTIAL_EXPIRED", "The " + what + " expired on " + expiry.notAfter() + "."));
            } else if (days <= properties.expiryWarningDays()) {
                warnings.add(new Warning(
                        "CREDENTIAL_EXPIRING",
                        "The " + what + " expires in " + days + " days (" + expiry.notAfter() + ")."));
            }
        }
        return warnings;
    }

    /** Recomputes every connection's warnings and expiries, publishes them, and logs new warnings. */
    public void check() {
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> warningRows = new ArrayList<>();
        List<MultiGauge.Row<?>> expiryRows = new ArrayList<>();
        List<ConnectionEntity> all = connections.findAll();
        for (ConnectionEntity connection : all) {
            String name = connection.getOrgHandle() + "/" + connection.getApiName();
            List<Warning> warnings = warnings(connection);
            Map<String, Long> byCode = new TreeMap<>();
            warnings.forEach(w -> byCode.merge(w.code(), 1L, Long::sum));
            byCode.forEach((code, count) ->
                    warningRows.add(MultiGauge.Row.of(Tags.of(ConnectionMetrics.TAG, name, "warning", code), count)));
            for (CredentialExpirySource.Expiry expiry : expiries(connection)) {
                expiryRows.add(MultiGauge.Row.of(
                        Tags.of(ConnectionMetrics.TAG, name, "credential", expiry.credential(), "name", expiry.name()),
                        daysLeft(expiry.notAfter(), now)));
            }
            List<Warning> before = lastWarnings.put(connection.getId(), warnings);
            for (Warning warning : warnings) {
                if (before == null || before.stream().noneMatch(b -> b.code().equals(warning.code()))) {
                    emailLog.warn(
                            "connection={} route={} warning={} {}",
                            name,
                            connection.routeId(),
                            warning.code(),
                            warning.message());
                }
            }
        }
        lastWarnings
                .keySet()
                .retainAll(all.stream().map(ConnectionEntity::getId).toList());
        warningGauge.register(warningRows, true);
        expiryGauge.register(expiryRows, true);
    }

    private List<CredentialExpirySource.Expiry> expiries(ConnectionEntity connection) {
        List<CredentialExpirySource.Expiry> all = new ArrayList<>();
        for (CredentialExpirySource source : sources) {
            try {
                all.addAll(source.expiries(connection));
            } catch (RuntimeException e) {
                log.warn(
                        "Cannot read credential expiries of {} from {}",
                        connection,
                        source.getClass().getSimpleName(),
                        e);
            }
        }
        return all;
    }

    private static long daysLeft(Instant notAfter, Instant now) {
        return Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mailgate-credential-health");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(properties.checkInterval().toMillis(), 100);
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        check();
                    } catch (RuntimeException e) {
                        log.warn("Credential health check failed", e);
                    }
                },
                period,
                period,
                TimeUnit.MILLISECONDS);
        scheduler = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = scheduler;
        scheduler = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}

package io.mailgate.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code mailgate.outbox.forwarders.<name>.*}: where incidents go besides the API. None by default.
 *
 * @param forwarders by name ({@code [a-z0-9_-]{1,64}}; the name keeps the forwarder's position in the feed)
 */
@Validated
@ConfigurationProperties("mailgate.outbox")
record OutboxProperties(Map<String, Forwarder> forwarders) {

    OutboxProperties {
        forwarders = forwarders == null ? Map.of() : Map.copyOf(forwarders);
        forwarders.keySet().forEach(name -> {
            if (!name.matches("[a-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("mailgate.outbox.forwarders." + name
                        + ": a forwarder's name has 1-64 of a-z, 0-9, '_' and '-'");
            }
        });
    }

    /**
     * @param uri                    the Camel endpoint: {@code https://soar.example.com/hook}, {@code kafka:incidents?brokers=…},
     *                               {@code direct:my-route} (a route of yours), … Keep credentials out of it: use
     *                               {@code #bean} references or {@code {{placeholders}}}.
     * @param organizations          organization handles whose incidents go out; empty = all
     * @param hmacSecret             when set, each delivery carries {@code X-Mailgate-Signature: sha256=<hex>}, the
     *                               HMAC-SHA256 of {@code <X-Mailgate-Timestamp>.<body>} with this secret
     * @param pollInterval           how often the feed is read for new changes
     * @param batchSize              incidents per read
     * @param maximumRedeliveries    tries of one delivery before the forwarder waits for its next poll (and tries again:
     *                               it never skips an incident)
     * @param redeliveryDelay        delay before the first retry, doubled each time up to maximumRedeliveryDelay
     * @param maximumRedeliveryDelay the longest delay between two tries
     * @param enabled                false pauses the forwarder, keeping its position
     */
    record Forwarder(
            String uri,
            List<String> organizations,
            String hmacSecret,
            Duration pollInterval,
            Integer batchSize,
            Integer maximumRedeliveries,
            Duration redeliveryDelay,
            Duration maximumRedeliveryDelay,
            Boolean enabled) {

        Forwarder {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("mailgate.outbox.forwarders.*.uri is required");
            }
            organizations = organizations == null ? List.of() : List.copyOf(organizations);
            pollInterval = pollInterval == null ? Duration.ofSeconds(5) : pollInterval;
            batchSize = batchSize == null ? 100 : batchSize;
            maximumRedeliveries = maximumRedeliveries == null ? 5 : maximumRedeliveries;
            redeliveryDelay = redeliveryDelay == null ? Duration.ofSeconds(1) : redeliveryDelay;
            maximumRedeliveryDelay = maximumRedeliveryDelay == null ? Duration.ofMinutes(5) : maximumRedeliveryDelay;
            enabled = enabled == null || enabled;
        }

        @Override
        public String toString() {
            return "Forwarder[uri=" + uri + ", organizations=" + organizations + ", hmacSecret="
                    + (hmacSecret == null ? "none" : "***") + "]";
        }
    }
}

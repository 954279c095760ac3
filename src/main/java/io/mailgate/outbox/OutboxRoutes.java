package io.mailgate.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.cluster.Cluster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One route per configured forwarder, {@code mailgate-outbox-<name>}: every poll interval it reads the incidents
 * changed after its position, and delivers them one by one, in feed order, to its endpoint. A delivery that fails is
 * retried with exponential backoff; after the last retry the forwarder stops where it is and starts again from there
 * at its next poll, so an incident is never skipped. Its position moves only after the endpoint accepted.
 * <p>
 * Each delivery is the incident as JSON, with headers {@code X-Mailgate-Event: incident},
 * {@code X-Mailgate-Delivery: <incidentId>-<changeSeq>} (the same for a repeated delivery),
 * {@code X-Mailgate-Timestamp} (epoch seconds) and, with an HMAC secret,
 * {@code X-Mailgate-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>}.
 */
@Component
class OutboxRoutes extends RouteBuilder {

    static final String CHANGE = "mailgateOutboxChange";
    private static final Logger log = LoggerFactory.getLogger(OutboxRoutes.class);

    private final OutboxProperties properties;
    private final IncidentFeed feed;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Cluster cluster;
    private final Clock clock = Clock.systemUTC();

    OutboxRoutes(
            OutboxProperties properties, IncidentFeed feed, ObjectMapper json, MeterRegistry metrics, Cluster cluster) {
        this.properties = properties;
        this.feed = feed;
        this.json = json;
        this.metrics = metrics;
        this.cluster = cluster;
    }

    @Override
    public void configure() {
        properties.forwarders().forEach(this::forwarder);
    }

    private void forwarder(String name, OutboxProperties.Forwarder forwarder) {
        feed.register(name);
        Counter delivered = Counter.builder("mailgate.outbox.delivered")
                .description("Incidents a forwarder delivered")
                .tag("forwarder", name)
                .register(metrics);
        Counter failures = Counter.builder("mailgate.outbox.failures")
                .description("Deliveries that failed after all retries")
                .tag("forwarder", name)
                .register(metrics);
        long interval = Math.max(forwarder.pollInterval().toMillis(), 10);
        if (forwarder.enabled()) {
            // In a cluster one node at a time delivers, from the position all nodes share in the database; a paused
            // forwarder gets no policy, which would start it on the node elected.
            cluster.runOnOneNode("mailgate-outbox-" + name, "mailgate-outbox-" + name);
        }

        from("scheduler:mailgate-outbox-" + name + "?delay=" + interval + "&initialDelay=" + interval
                        + "&useFixedDelay=true")
                .routeId("mailgate-outbox-" + name)
                .routeDescription("Delivers new and updated incidents to forwarder " + name)
                .autoStartup(forwarder.enabled())
                .errorHandler(defaultErrorHandler()
                        .maximumRedeliveries(forwarder.maximumRedeliveries())
                        .redeliveryDelay(Math.max(forwarder.redeliveryDelay().toMillis(), 1))
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .maximumRedeliveryDelay(
                                forwarder.maximumRedeliveryDelay().toMillis())
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                        .logExhausted(false)
                        .logStackTrace(false))
                .onCompletion()
                .onFailureOnly()
                .process(exchange -> {
                    Exception e = exchange.getException();
                    String error = e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
                    failures.increment();
                    feed.failed(name, error, clock.instant());
                    log.warn(
                            "Forwarder {} could not deliver an incident after {} tries; it tries again from "
                                    + "there at its next poll: {}",
                            name,
                            forwarder.maximumRedeliveries() + 1,
                            error);
                })
                .end()
                .process(exchange -> exchange.getMessage()
                        .setBody(feed.pending(name, forwarder.organizations(), forwarder.batchSize())))
                .split(body())
                .stopOnException()
                .process(exchange -> prepare(exchange, forwarder))
                .to(forwarder.uri())
                .process(exchange -> {
                    IncidentFeed.Change change = exchange.getProperty(CHANGE, IncidentFeed.Change.class);
                    feed.delivered(name, change.changeSeq(), clock.instant());
                    delivered.increment();
                })
                .end();
    }

    private void prepare(Exchange exchange, OutboxProperties.Forwarder forwarder) throws Exception {
        IncidentFeed.Change change = exchange.getMessage().getBody(IncidentFeed.Change.class);
        exchange.setProperty(CHANGE, change);
        Map<String, Object> incident = feed.incident(change.incidentId());
        byte[] body = json.writeValueAsBytes(
                incident == null
                        ? Map.of("id", change.incidentId(), "deleted", true, "changeSeq", change.changeSeq())
                        : incident);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(body);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader("X-Mailgate-Event", "incident");
        message.setHeader("X-Mailgate-Delivery", change.incidentId() + "-" + change.changeSeq());
        message.setHeader("X-Mailgate-Timestamp", timestamp);
        if (forwarder.hmacSecret() != null && !forwarder.hmacSecret().isEmpty()) {
            message.setHeader("X-Mailgate-Signature", "sha256=" + sign(forwarder.hmacSecret(), timestamp, body));
        }
    }

    /** HMAC-SHA256 of {@code timestamp + "." + body}, hex. */
    static String sign(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}

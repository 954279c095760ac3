package io.mailgate.quarantine;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Sends a quarantined message through the pipeline again, for example after a decryption key was uploaded. */
@Service
public class QuarantineRetry {

    public record Outcome(String status, String reasonCode, String reason, Long emailMessageId, Long incidentId) {}

    private final QuarantineRepository quarantine;
    private final QuarantineService service;
    private final RawContentStore rawStore;
    private final RawSpool spool;
    private final ProducerTemplate producer;

    QuarantineRetry(
            QuarantineRepository quarantine,
            QuarantineService service,
            RawContentStore rawStore,
            RawSpool spool,
            ProducerTemplate producer) {
        this.quarantine = quarantine;
        this.service = service;
        this.rawStore = rawStore;
        this.spool = spool;
        this.producer = producer;
    }

    Outcome retry(OrgRef org, long id) throws Exception {
        QuarantineEntity entry = quarantine
                .findByIdAndOrgId(id, org.id())
                .orElseThrow(() -> ApiProblem.notFound("No quarantined message " + id + "."));
        if (entry.status == QuarantineEntity.Status.RELEASED) {
            throw ApiProblem.conflict("Message " + id + " was already released into incident processing.");
        }
        Path file = spool.scratchFile("retry-");
        try {
            try (OutputStream out = Files.newOutputStream(file)) {
                rawStore.copyTo(entry.rawContentId, out);
            }
            RawEmail raw = new RawEmail(file, entry.size, entry.sha256, entry.sourcePosition, entry.receivedAt);
            Exchange done = producer.send("direct:mailgate-pipeline", exchange -> {
                exchange.getIn().setBody(raw);
                exchange.setProperty(ExchangePropertyNames.CONNECTION_ID, entry.connectionId);
                exchange.setProperty(ExchangePropertyNames.QUARANTINE_ID, entry.id);
            });
            if (done.getException() != null) {
                throw new ApiProblem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "Retry failed",
                        "The message could not be processed now; it stays in quarantine. Try again later.",
                        List.of());
            }
            IngestResult result = done.getProperty(ExchangePropertyNames.RESULT, IngestResult.class);
            if (result != null) {
                service.released(entry.id, result.emailMessageId());
                return new Outcome("RELEASED", null, null, result.emailMessageId(), result.incidentId());
            }
            service.retried(entry.id);
            QuarantineEntity again = quarantine.findById(entry.id).orElseThrow();
            return new Outcome("QUARANTINED", again.reasonCode, again.reason, null, null);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}

package io.mailgate.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.EmailAddress;
import io.mailgate.parse.ParsedEmail;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The store stage: raw bytes, parsed message, its incident (new or the one the link stage chose), artifacts and
 * the incident's new change-feed position, all in one transaction. Either everything is stored or nothing is,
 * and the source marks the message read only after this returns. Dedup ({@link IncidentDedup}) and linking
 * ({@link IncidentLinker}) ran before, as their own pipeline steps; their answers come in as arguments.
 *
 * <p>Statements per new message: raw bytes, incident (when new) or its update, message, one batch of artifacts.
 * The incident is left pending its change-feed position, which the {@link ChangeSequencer} gives after the
 * commit (the caller runs it), so no lock is held through this transaction but this incident's row (issue 15.6).
 */
@Service
public class IngestService {

    private static final int MAX_TITLE = 1000;

    private final IngestRows rows;
    private final ArtifactWriter artifacts;
    private final RawContentStore rawStore;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    IngestService(
            IngestRows rows, ArtifactWriter artifacts, RawContentStore rawStore, JdbcTemplate jdbc, ObjectMapper json) {
        this.rows = rows;
        this.artifacts = artifacts;
        this.rawStore = rawStore;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional(rollbackFor = Exception.class)
    public IngestResult store(
            ConnectionEntity connection,
            RawEmail raw,
            ParsedEmail email,
            DecryptionSummary decryption,
            DedupVerdict dedup,
            IncidentLinker.Decision link) {
        long orgId = connection.getOrgId();
        long rawId = rawStore.save(raw);
        long incidentId = link.incidentId() != null
                ? link.incidentId()
                : rows.insertIncident(
                        orgId, connection.getId(), connection.getApiName(), title(email), clock.instant());

        EmailMessageEntity m = new EmailMessageEntity();
        m.orgId = orgId;
        m.connectionId = connection.getId();
        m.connectionApiName = connection.getApiName();
        m.incidentId = incidentId;
        m.rawContentId = rawId;
        m.dedupKey = dedup.dedupKey();
        m.sourcePosition = raw.sourcePosition();
        m.messageId = truncate(email.messageId(), 998);
        m.messageIdReused = dedup.messageIdReused();
        m.inReplyTo = truncate(email.inReplyTo(), 998);
        m.referencesJson = toJson(email.references() == null ? List.of() : email.references());
        m.subject = email.subject();
        m.fromAddress = email.from() == null ? null : truncate(email.from().address(), 998);
        m.fromName = email.from() == null ? null : truncate(email.from().name(), 998);
        m.toJson = toJson(addresses(email.to()));
        m.ccJson = toJson(addresses(email.cc()));
        m.sentAt = email.date();
        m.receivedAt = raw.receivedAt();
        m.size = raw.size();
        m.sha256 = raw.sha256();
        m.fingerprint = email.contentFingerprint();
        m.encrypted = decryption.encrypted();
        m.decrypted = decryption.decrypted();
        m.signature = decryption.signature();
        m.encryptionFormat = decryption.format();
        m.decryptedWith = truncate(decryption.decryptedWith(), 2000);
        m.signer = truncate(decryption.signer(), 998);
        m.signerCertificate = truncate(decryption.signerCertificate(), 2000);
        m.linkReason = link.reason().name();
        m.headersJson = toJson(email.headers() == null ? List.of() : email.headers());
        m.attachmentsJson = toJson(email.attachments() == null ? List.of() : email.attachments());
        m.textBody = email.textBody();
        m.htmlBody = email.htmlBody();
        ReportedOriginal reported = ReportedOriginal.of(email.reported());
        m.reportedJson = reported == null ? null : toJson(reported);
        long messageId = rows.insertMessage(m); // before the artifacts that refer to it

        artifacts.add(incidentId, link.incidentId() == null, messageId, email.artifacts());
        if (link.incidentId() != null) {
            // An existing incident changed: pending its next change-feed position. A plain UPDATE: no load, and
            // no lock but this incident's row (positions are given after the commit, see ChangeSequencer).
            int updated = jdbc.update(
                    "UPDATE incidents SET change_pending = TRUE, updated_at = ? WHERE id = ?",
                    OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC),
                    incidentId);
            if (updated != 1) {
                throw new IllegalStateException("Incident " + incidentId + " no longer exists");
            }
        }
        return new IngestResult(IngestResult.Outcome.STORED, messageId, incidentId, link.reason());
    }

    private static List<String> addresses(List<EmailAddress> list) {
        return list == null
                ? List.of()
                : list.stream().map(EmailAddress::address).toList();
    }

    private static String title(ParsedEmail email) {
        String subject = email.subject() == null || email.subject().isBlank()
                ? "(no subject)"
                : email.subject().strip();
        return truncate(subject, MAX_TITLE);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize a parsed message", e);
        }
    }

    static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

package io.mailgate.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.Artifact;
import io.mailgate.parse.EmailAddress;
import io.mailgate.parse.ParsedEmail;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores one message: dedup, incident policy, raw bytes, parsed message, artifacts and the incident's new
 * change-feed position, all in one transaction. Either everything is stored or nothing is, and the source
 * marks the message read only after this returns.
 */
@Service
public class IngestService {

    private static final int MAX_TITLE = 1000;

    private final EmailMessageRepository messages;
    private final IncidentRepository incidents;
    private final ArtifactRepository artifacts;
    private final IncidentLinker linker;
    private final ChangeSequence changes;
    private final RawContentStore rawStore;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    IngestService(EmailMessageRepository messages, IncidentRepository incidents, ArtifactRepository artifacts,
                  IncidentLinker linker, ChangeSequence changes, RawContentStore rawStore, ObjectMapper json) {
        this.messages = messages;
        this.incidents = incidents;
        this.artifacts = artifacts;
        this.linker = linker;
        this.changes = changes;
        this.rawStore = rawStore;
        this.json = json;
    }

    @Transactional(rollbackFor = Exception.class)
    public IngestResult ingest(ConnectionEntity connection, RawEmail raw, ParsedEmail email,
                               DecryptionSummary decryption) throws RejectedMessageException {
        long orgId = connection.getOrgId();
        if (raw.sourcePosition() != null
                && messages.existsByConnectionIdAndSourcePosition(connection.getId(), raw.sourcePosition())) {
            return IngestResult.duplicate();
        }
        String dedupKey = dedupKey(orgId, connection.getId(), email.messageId(), email.contentFingerprint());
        if (messages.existsByDedupKey(dedupKey)) {
            return IngestResult.duplicate();
        }
        // A sender controls Message-ID: a different message reusing one is kept, and flagged.
        boolean reused = email.messageId() != null
                && messages.existsByOrgIdAndConnectionIdAndMessageId(orgId, connection.getId(), email.messageId());
        IncidentLinker.Decision link = linker.decide(orgId, connection.getSettings().incidentPolicy(), email);

        long rawId = rawStore.save(raw);
        IncidentEntity incident = link.incidentId() == null
                ? incidents.save(new IncidentEntity(orgId, connection.getId(), connection.getApiName(), title(email),
                        0, clock.instant()))
                : incidents.findById(link.incidentId()).orElseThrow();

        EmailMessageEntity m = new EmailMessageEntity();
        m.orgId = orgId;
        m.connectionId = connection.getId();
        m.connectionApiName = connection.getApiName();
        m.incidentId = incident.getId();
        m.rawContentId = rawId;
        m.dedupKey = dedupKey;
        m.sourcePosition = raw.sourcePosition();
        m.messageId = truncate(email.messageId(), 998);
        m.messageIdReused = reused;
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
        m = messages.save(m);

        saveArtifacts(incident.getId(), m.id, email.artifacts());
        // Last, so the change-feed lock is held only for the commit itself.
        incident.changed(changes.next(), clock.instant());
        return new IngestResult(IngestResult.Outcome.STORED, m.id, incident.getId(), link.reason());
    }

    private void saveArtifacts(long incidentId, long messageId, List<Artifact> found) {
        if (found == null) {
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Artifact a : found) {
            String value = truncate(a.value(), 2048);
            if (value == null || !seen.add(a.type() + "\u0000" + value)) {
                continue;
            }
            if (!artifacts.existsByIncidentIdAndTypeAndValue(incidentId, a.type().name(), value)) {
                artifacts.save(new ArtifactEntity(incidentId, messageId, a.type().name(), value,
                        truncate(a.foundIn(), 256)));
            }
        }
    }

    /**
     * The same message, as DESIGN.md defines it: same organization, connection and Message-ID, and the same
     * content apart from trace headers. Never null: without a Message-ID the content alone decides.
     */
    static String dedupKey(long orgId, long connectionId, String messageId, String contentFingerprint) {
        String material = orgId + "\n" + connectionId + "\n" + (messageId == null ? "" : messageId) + "\n"
                + contentFingerprint;
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> addresses(List<EmailAddress> list) {
        return list == null ? List.of() : list.stream().map(EmailAddress::address).toList();
    }

    private static String title(ParsedEmail email) {
        String subject = email.subject() == null || email.subject().isBlank() ? "(no subject)" : email.subject().strip();
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

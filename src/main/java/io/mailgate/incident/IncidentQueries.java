package io.mailgate.incident;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.incident.Views.ArtifactView;
import io.mailgate.incident.Views.IncidentView;
import io.mailgate.incident.Views.MessageDetailView;
import io.mailgate.incident.Views.MessageView;
import io.mailgate.incident.Views.Page;
import io.mailgate.parse.Attachment;
import io.mailgate.parse.Header;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads incidents and messages for the API, always within one organization. */
@Service
class IncidentQueries {

    private final IncidentRepository incidents;
    private final EmailMessageRepository messages;
    private final ArtifactRepository artifacts;
    private final ObjectMapper json;

    IncidentQueries(
            IncidentRepository incidents,
            EmailMessageRepository messages,
            ArtifactRepository artifacts,
            ObjectMapper json) {
        this.incidents = incidents;
        this.messages = messages;
        this.artifacts = artifacts;
        this.json = json;
    }

    /** Incidents in the order they last changed, after the cursor (a change-feed position). */
    @Transactional(readOnly = true)
    Page<IncidentView> incidents(OrgRef org, long after, int limit) {
        List<IncidentView> items =
                incidents.findByOrgIdAndChangeSeqGreaterThanOrderByChangeSeq(org.id(), after, Limit.of(limit)).stream()
                        .map(this::view)
                        .toList();
        String next = items.isEmpty()
                ? Long.toString(after)
                : items.get(items.size() - 1).cursor();
        return new Page<>(items, next);
    }

    @Transactional(readOnly = true)
    IncidentView incident(OrgRef org, long id) {
        return view(incidents
                .findByIdAndOrgId(id, org.id())
                .orElseThrow(() -> ApiProblem.notFound("No incident " + id + ".")));
    }

    @Transactional(readOnly = true)
    Page<MessageView> messages(OrgRef org, String connection, Long incidentId, long after, int limit) {
        List<EmailMessageEntity> page = messages.page(org.id(), after, connection, incidentId, Limit.of(limit));
        String next = page.isEmpty() ? Long.toString(after) : Long.toString(page.get(page.size() - 1).id);
        return new Page<>(page.stream().map(this::view).toList(), next);
    }

    @Transactional(readOnly = true)
    MessageDetailView message(OrgRef org, long id) {
        EmailMessageEntity m = entity(org, id);
        return new MessageDetailView(
                view(m), read(m.headersJson, new TypeReference<List<Header>>() {}), m.textBody, m.htmlBody);
    }

    @Transactional(readOnly = true)
    EmailMessageEntity entity(OrgRef org, long id) {
        return messages.findByIdAndOrgId(id, org.id())
                .orElseThrow(() -> ApiProblem.notFound("No email message " + id + "."));
    }

    List<Attachment> attachments(EmailMessageEntity m) {
        return read(m.attachmentsJson, new TypeReference<List<Attachment>>() {});
    }

    private IncidentView view(IncidentEntity i) {
        List<MessageView> ms = messages.findByIncidentIdOrderById(i.getId()).stream()
                .map(this::view)
                .toList();
        List<ArtifactView> as = artifacts.findByIncidentIdOrderById(i.getId()).stream()
                .map(a -> new ArtifactView(a.type, a.value, a.foundIn, a.messageId))
                .toList();
        return new IncidentView(
                i.getId(),
                i.getTitle(),
                i.getStatus(),
                i.getCreatedAt(),
                i.getUpdatedAt(),
                i.getConnectionApiName(),
                i.getChangeSeq() == null ? null : i.getChangeSeq().toString(),
                ms,
                as);
    }

    private MessageView view(EmailMessageEntity m) {
        return new MessageView(
                m.id,
                m.incidentId,
                m.connectionApiName,
                m.messageId,
                m.messageIdReused,
                m.inReplyTo,
                read(m.referencesJson, new TypeReference<List<String>>() {}),
                m.subject,
                m.fromAddress,
                m.fromName,
                read(m.toJson, new TypeReference<List<String>>() {}),
                read(m.ccJson, new TypeReference<List<String>>() {}),
                m.sentAt,
                m.receivedAt,
                m.size,
                m.sha256,
                m.encrypted,
                m.decrypted,
                m.encryptionFormat,
                m.decryptedWith,
                m.signature,
                m.signer,
                m.signerCertificate,
                attachments(m),
                m.linkReason,
                m.reportedJson == null ? null : read(m.reportedJson, new TypeReference<ReportedOriginal>() {}));
    }

    private <T> T read(String value, TypeReference<T> type) {
        try {
            return json.readValue(value, type);
        } catch (Exception e) {
            throw new IllegalStateException("Stored message data is unreadable", e);
        }
    }
}

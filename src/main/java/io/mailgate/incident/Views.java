package io.mailgate.incident;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.mailgate.parse.Attachment;
import io.mailgate.parse.Header;
import java.time.Instant;
import java.util.List;

/** What the incidents and messages API returns (API.md). */
public final class Views {

    private Views() {}

    public record Page<T>(List<T> items, String nextCursor) {}

    public record IncidentView(
            long id,
            String title,
            String status,
            Instant createdAt,
            Instant updatedAt,
            String connection,
            String cursor,
            List<MessageView> messages,
            List<ArtifactView> artifacts) {}

    public record ArtifactView(String type, String value, String foundIn, long messageId) {}

    public record MessageView(
            long id,
            Long incidentId,
            String connection,
            String messageId,
            boolean messageIdReused,
            String inReplyTo,
            List<String> references,
            String subject,
            String from,
            String fromName,
            List<String> to,
            List<String> cc,
            Instant date,
            Instant receivedAt,
            long size,
            String sha256,
            boolean encrypted,
            boolean decrypted,
            String encryptionFormat,
            String decryptedWith,
            String signature,
            String signer,
            String signerCertificate,
            List<Attachment> attachments,
            String linkReason,
            ReportedOriginal reported) {}

    public record MessageDetailView(
            @JsonUnwrapped MessageView message, List<Header> headers, String textBody, String htmlBody) {}
}

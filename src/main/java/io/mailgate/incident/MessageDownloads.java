package io.mailgate.incident;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.ingest.Downloads;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawSpool;
import io.mailgate.parse.Attachment;
import io.mailgate.parse.MalformedEmailException;
import io.mailgate.parse.MimeParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A message's raw bytes and its attachments as downloads, for the API and the analyst pages alike. The caller
 * has checked the analyst role in {@code org}; a message of another organization is "not found".
 */
@Service
public class MessageDownloads {

    private final IncidentQueries queries;
    private final RawContentStore rawStore;
    private final RawSpool spool;
    private final MimeParser parser;

    MessageDownloads(IncidentQueries queries, RawContentStore rawStore, RawSpool spool, MimeParser parser) {
        this.queries = queries;
        this.rawStore = rawStore;
        this.spool = spool;
        this.parser = parser;
    }

    /** The original bytes exactly as fetched, as {@code message-{id}.eml}. */
    public ResponseEntity<StreamingResponseBody> raw(OrgRef org, long id) {
        EmailMessageEntity m = queries.entity(org, id);
        long rawId = m.rawContentId;
        StreamingResponseBody body = (OutputStream out) -> rawStore.copyTo(rawId, out);
        return Downloads.rawMessage("message-" + id + ".eml", m.size, body);
    }

    /** One attachment, decoded from the raw message on demand (the raw message is the only copy). */
    public ResponseEntity<StreamingResponseBody> attachment(OrgRef org, long id, int index) {
        EmailMessageEntity m = queries.entity(org, id);
        Attachment attachment = queries.attachments(m).stream()
                .filter(a -> a.index() == index)
                .findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Message " + id + " has no attachment " + index + "."));
        long rawId = m.rawContentId;
        StreamingResponseBody body = out -> {
            Path file = spool.scratchFile("attachment-");
            try {
                try (OutputStream fileOut = Files.newOutputStream(file)) {
                    rawStore.copyTo(rawId, fileOut);
                }
                parser.copyAttachment(file, index, out);
            } catch (MalformedEmailException e) {
                throw new IOException("The attachment cannot be decoded: " + e.getMessage(), e);
            } finally {
                Files.deleteIfExists(file);
            }
        };
        MediaType type;
        try {
            type = MediaType.parseMediaType(attachment.contentType());
        } catch (Exception e) {
            type = MediaType.APPLICATION_OCTET_STREAM;
        }
        String name = attachment.name() == null ? "attachment-" + index : attachment.name();
        // An attachment of a phishing mail must never render in the browser as our own content.
        return Downloads.file(type, name, body);
    }
}

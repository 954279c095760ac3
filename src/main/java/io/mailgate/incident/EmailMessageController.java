package io.mailgate.incident;

import io.mailgate.incident.Views.MessageDetailView;
import io.mailgate.incident.Views.MessageView;
import io.mailgate.incident.Views.Page;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawSpool;
import io.mailgate.parse.Attachment;
import io.mailgate.parse.MimeParser;
import io.mailgate.system.ApiProblem;
import io.mailgate.system.OrgAccess;
import io.mailgate.system.OrgRef;
import io.mailgate.system.Role;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Ingested messages, their raw bytes exactly as fetched, and their attachments. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/email-messages")
class EmailMessageController {

    private final OrgAccess access;
    private final IncidentQueries queries;
    private final RawContentStore rawStore;
    private final RawSpool spool;
    private final MimeParser parser;

    EmailMessageController(OrgAccess access, IncidentQueries queries, RawContentStore rawStore, RawSpool spool,
                           MimeParser parser) {
        this.access = access;
        this.queries = queries;
        this.rawStore = rawStore;
        this.spool = spool;
        this.parser = parser;
    }

    @GetMapping
    Page<MessageView> list(@PathVariable String org, @RequestParam(required = false) String connection,
                           @RequestParam(required = false) Long incidentId,
                           @RequestParam(required = false) String after,
                           @RequestParam(required = false) Integer limit) {
        return queries.messages(analyst(org), connection, incidentId, Paging.after(after), Paging.limit(limit));
    }

    @GetMapping("/{id}")
    MessageDetailView get(@PathVariable String org, @PathVariable long id) {
        return queries.message(analyst(org), id);
    }

    @GetMapping("/{id}/raw")
    ResponseEntity<StreamingResponseBody> raw(@PathVariable String org, @PathVariable long id) {
        EmailMessageEntity m = queries.entity(analyst(org), id);
        long rawId = m.rawContentId;
        StreamingResponseBody body = (OutputStream out) -> rawStore.copyTo(rawId, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("message/rfc822"))
                .contentLength(m.size)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("message-" + id + ".eml").build().toString())
                .body(body);
    }

    @GetMapping("/{id}/attachments/{index}")
    ResponseEntity<StreamingResponseBody> attachment(@PathVariable String org, @PathVariable long id,
                                                     @PathVariable int index) {
        EmailMessageEntity m = queries.entity(analyst(org), id);
        Attachment attachment = queries.attachments(m).stream().filter(a -> a.index() == index).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Message " + id + " has no attachment " + index + "."));
        long rawId = m.rawContentId;
        StreamingResponseBody body = out -> {
            // The raw message is the only copy; the attachment is decoded from it on demand.
            Path file = spool.scratchFile("attachment-");
            try {
                try (OutputStream fileOut = Files.newOutputStream(file)) {
                    rawStore.copyTo(rawId, fileOut);
                }
                parser.copyAttachment(file, index, out);
            } catch (io.mailgate.parse.MalformedEmailException e) {
                throw new java.io.IOException("The attachment cannot be decoded: " + e.getMessage(), e);
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
        return ResponseEntity.ok()
                .contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name, java.nio.charset.StandardCharsets.UTF_8).build().toString())
                // An attachment of a phishing mail must never render in the browser as the API's own content.
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .body(body);
    }

    private OrgRef analyst(String org) {
        return access.require(org, Role.ANALYST);
    }
}

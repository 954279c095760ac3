package io.mailgate.incident;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.incident.Views.MessageDetailView;
import io.mailgate.incident.Views.MessageView;
import io.mailgate.incident.Views.Page;
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
    private final MessageDownloads downloads;

    EmailMessageController(OrgAccess access, IncidentQueries queries, MessageDownloads downloads) {
        this.access = access;
        this.queries = queries;
        this.downloads = downloads;
    }

    @GetMapping
    Page<MessageView> list(
            @PathVariable String org,
            @RequestParam(required = false) String connection,
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
        return downloads.raw(analyst(org), id);
    }

    @GetMapping("/{id}/attachments/{index}")
    ResponseEntity<StreamingResponseBody> attachment(
            @PathVariable String org, @PathVariable long id, @PathVariable int index) {
        return downloads.attachment(analyst(org), id, index);
    }

    private OrgRef analyst(String org) {
        return access.require(org, Role.ANALYST);
    }
}

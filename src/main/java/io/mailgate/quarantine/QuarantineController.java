package io.mailgate.quarantine;

import io.mailgate.ingest.RawContentStore;
import io.mailgate.system.ApiProblem;
import io.mailgate.system.OrgAccess;
import io.mailgate.system.OrgRef;
import io.mailgate.system.Role;
import java.io.OutputStream;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Messages that could not be processed; analysts may retry them. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/quarantine")
class QuarantineController {

    record Page(List<QuarantineView> items, String nextCursor) {
    }

    private final OrgAccess access;
    private final QuarantineRepository quarantine;
    private final QuarantineRetry retry;
    private final RawContentStore rawStore;

    QuarantineController(OrgAccess access, QuarantineRepository quarantine, QuarantineRetry retry,
                         RawContentStore rawStore) {
        this.access = access;
        this.quarantine = quarantine;
        this.retry = retry;
        this.rawStore = rawStore;
    }

    @GetMapping
    Page list(@PathVariable String org, @RequestParam(defaultValue = "0") long after,
              @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("limit", "must be 1-500")));
        }
        OrgRef ref = access.require(org, Role.ANALYST);
        List<QuarantineView> items = quarantine.findByOrgIdAndIdGreaterThanOrderById(ref.id(), after, Limit.of(limit))
                .stream().map(QuarantineView::of).toList();
        return new Page(items, items.isEmpty() ? Long.toString(after) : Long.toString(items.get(items.size() - 1).id()));
    }

    @GetMapping("/{id}")
    QuarantineView get(@PathVariable String org, @PathVariable long id) {
        return QuarantineView.of(entry(access.require(org, Role.ANALYST), id));
    }

    @GetMapping("/{id}/raw")
    ResponseEntity<StreamingResponseBody> raw(@PathVariable String org, @PathVariable long id) {
        QuarantineEntity entry = entry(access.require(org, Role.ANALYST), id);
        long rawId = entry.rawContentId;
        StreamingResponseBody body = (OutputStream out) -> rawStore.copyTo(rawId, out);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("message/rfc822"))
                .contentLength(entry.size)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("quarantined-" + id + ".eml").build().toString())
                .body(body);
    }

    @PostMapping("/{id}/retry")
    QuarantineRetry.Outcome retry(@PathVariable String org, @PathVariable long id) throws Exception {
        return retry.retry(access.require(org, Role.ANALYST), id);
    }

    private QuarantineEntity entry(OrgRef org, long id) {
        return quarantine.findByIdAndOrgId(id, org.id())
                .orElseThrow(() -> ApiProblem.notFound("No quarantined message " + id + "."));
    }
}

package io.mailgate.quarantine;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import java.util.List;
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

    record Page(List<QuarantineView> items, String nextCursor) {}

    private final OrgAccess access;
    private final QuarantineDesk desk;

    QuarantineController(OrgAccess access, QuarantineDesk desk) {
        this.access = access;
        this.desk = desk;
    }

    @GetMapping
    Page list(
            @PathVariable String org,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw ApiProblem.validation(List.of(new ApiProblem.FieldError("limit", "must be 1-500")));
        }
        List<QuarantineView> items = desk.after(analyst(org), after, limit);
        return new Page(
                items,
                items.isEmpty()
                        ? Long.toString(after)
                        : Long.toString(items.get(items.size() - 1).id()));
    }

    @GetMapping("/{id}")
    QuarantineView get(@PathVariable String org, @PathVariable long id) {
        return desk.get(analyst(org), id);
    }

    @GetMapping("/{id}/raw")
    ResponseEntity<StreamingResponseBody> raw(@PathVariable String org, @PathVariable long id) {
        return desk.raw(analyst(org), id);
    }

    @PostMapping("/{id}/retry")
    QuarantineRetry.Outcome retry(@PathVariable String org, @PathVariable long id) throws Exception {
        return desk.retry(analyst(org), id);
    }

    private OrgRef analyst(String org) {
        return access.require(org, Role.ANALYST);
    }
}

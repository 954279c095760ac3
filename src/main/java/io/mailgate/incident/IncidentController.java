package io.mailgate.incident;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.Role;
import io.mailgate.incident.Views.IncidentView;
import io.mailgate.incident.Views.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Incidents, in the order they changed, for SOARs and analysts. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/incidents")
class IncidentController {

    private final OrgAccess access;
    private final IncidentQueries queries;

    IncidentController(OrgAccess access, IncidentQueries queries) {
        this.access = access;
        this.queries = queries;
    }

    @GetMapping
    Page<IncidentView> list(
            @PathVariable String org,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit) {
        return queries.incidents(access.require(org, Role.ANALYST), Paging.after(after), Paging.limit(limit));
    }

    @GetMapping("/{id}")
    IncidentView get(@PathVariable String org, @PathVariable long id) {
        return queries.incident(access.require(org, Role.ANALYST), id);
    }
}

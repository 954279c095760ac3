package io.mailgate.web;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.quarantine.QuarantineDesk;
import io.mailgate.quarantine.QuarantineRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Messages that could not be processed: newest first, each with its reason, raw download and a retry. */
@Controller
@RequestMapping("/orgs/{org}/quarantine")
class QuarantinePages {

    private static final Logger log = LoggerFactory.getLogger(QuarantinePages.class);

    private final OrgAccess access;
    private final QuarantineDesk desk;
    private final QuarantineHeaders headers;

    QuarantinePages(OrgAccess access, QuarantineDesk desk, QuarantineHeaders headers) {
        this.access = access;
        this.desk = desk;
        this.headers = headers;
    }

    @GetMapping
    String list(
            @PathVariable String org,
            @RequestParam(required = false) Long before,
            @RequestParam(required = false) Integer limit,
            Model model) {
        OrgRef ref = analyst(org);
        model.addAttribute("section", "quarantine");
        int size = IncidentPages.pageSize(limit);
        QuarantineDesk.NewestPage page = desk.newest(ref, before, size);
        model.addAttribute("page", page);
        model.addAttribute(
                "rows", page.items().stream().map(q -> headers.row(ref, q)).toList());
        model.addAttribute("firstPage", before == null);
        model.addAttribute("limit", size);
        return "quarantine/list";
    }

    @GetMapping("/{id}/raw")
    ResponseEntity<StreamingResponseBody> raw(@PathVariable String org, @PathVariable long id) {
        return desk.raw(analyst(org), id);
    }

    @PostMapping("/{id}/retry")
    String retry(@PathVariable String org, @PathVariable long id, RedirectAttributes redirect) {
        OrgRef ref = analyst(org);
        // released: the usual (green) flash; still failing or not retried: a notice the analyst cannot miss
        try {
            QuarantineRetry.Outcome outcome = desk.retry(ref, id);
            if ("RELEASED".equals(outcome.status())) {
                redirect.addFlashAttribute(
                        "flash",
                        "Message " + id + " was processed and released into incident " + outcome.incidentId() + ".");
            } else {
                redirect.addFlashAttribute(
                        "retryProblem",
                        "Message " + id + " is still failing (" + outcome.reasonCode() + "): " + outcome.reason());
            }
        } catch (ApiProblem problem) {
            if (problem.status() == HttpStatus.NOT_FOUND) {
                throw problem;
            }
            redirect.addFlashAttribute("retryProblem", "Message " + id + " was not retried: " + problem.detail());
        } catch (Exception e) {
            log.warn("Retrying quarantined message {} of {} failed", id, org, e);
            redirect.addFlashAttribute(
                    "retryProblem",
                    "Message " + id + " could not be retried now; it stays in quarantine. Try again later.");
        }
        return "redirect:/orgs/" + org + "/quarantine";
    }

    private OrgRef analyst(String org) {
        return access.require(org, Role.ANALYST);
    }
}

package io.mailgate.web;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.OrganizationPeople;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An organization's members (who may sign in, with which role) and its API keys (what a SOAR or a script uses),
 * for its admins. A new key's value is shown once, right after it is made; the database cannot show it again.
 */
@Controller
@RequestMapping("/orgs/{org}")
class MemberPages {

    private final OrgAccess access;
    private final OrganizationPeople people;

    MemberPages(OrgAccess access, OrganizationPeople people) {
        this.access = access;
        this.people = people;
    }

    @GetMapping("/members")
    String list(@PathVariable String org, Model model) {
        return page(admin(org), model, Map.of(), Map.of());
    }

    @PostMapping("/members")
    String add(
            @PathVariable String org,
            @RequestParam(required = false) String username,
            @RequestParam(required = false) String password,
            @RequestParam(required = false) Role role,
            Model model,
            RedirectAttributes redirect) {
        OrgRef ref = admin(org);
        String name = username == null ? null : username.strip();
        try {
            boolean created = people.addMember(
                    ref,
                    name,
                    password == null || password.isEmpty() ? null : password,
                    role == null ? Role.ANALYST : role);
            redirect.addFlashAttribute(
                    "flash",
                    (created ? "User " + name + " is created with role " : name + " now has role ")
                            + (role == null ? Role.ANALYST : role) + " here.");
            return "redirect:/orgs/" + org + "/members";
        } catch (ApiProblem problem) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("username", name == null ? "" : name);
            values.put("role", role == null ? Role.ANALYST.name() : role.name());
            return page(ref, model, values, errors(problem));
        }
    }

    /**
     * Creates a key and redirects (POST-redirect-GET): a reload of the page that shows the value never makes a
     * second key. The value travels to that page as a one-time flash attribute, so it is shown exactly once.
     */
    @PostMapping("/api-keys")
    String createKey(
            @PathVariable String org,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) Role role,
            Model model,
            RedirectAttributes redirect) {
        OrgRef ref = admin(org);
        try {
            redirect.addFlashAttribute("newKey", people.createApiKey(ref, name == null ? "" : name, role));
            return "redirect:/orgs/" + org + "/members#new-key";
        } catch (ApiProblem problem) {
            Map<String, String> keyErrors = new LinkedHashMap<>();
            errors(problem).forEach((field, message) -> keyErrors.put("key." + field, message));
            model.addAttribute("keyName", name);
            model.addAttribute("keyRole", role);
            return page(ref, model, Map.of(), keyErrors);
        }
    }

    /** Revoke asks first, like Delete on a connection: a SOAR using the key stops working at once. */
    @GetMapping("/api-keys/{id}/revoke")
    String confirmRevoke(@PathVariable String org, @PathVariable long id, Model model) {
        OrgRef ref = admin(org);
        model.addAttribute("section", "members");
        model.addAttribute(
                "key",
                people.apiKeys(ref).stream()
                        .filter(k -> k.id() == id)
                        .findFirst()
                        .orElseThrow(() -> ApiProblem.notFound("API key not found")));
        return "members/revoke";
    }

    @PostMapping("/api-keys/{id}/revoke")
    String revoke(@PathVariable String org, @PathVariable long id, RedirectAttributes redirect) {
        people.revokeApiKey(admin(org), id);
        redirect.addFlashAttribute("flash", "The API key is revoked; calls with it are refused from now on.");
        return "redirect:/orgs/" + org + "/members";
    }

    private String page(OrgRef org, Model model, Map<String, String> values, Map<String, String> errors) {
        model.addAttribute("section", "members");
        model.addAttribute("members", people.members(org));
        model.addAttribute("keys", people.apiKeys(org));
        model.addAttribute("values", values);
        model.addAttribute("errors", errors);
        model.addAttribute("roles", Role.values());
        return "members/list";
    }

    private static Map<String, String> errors(ApiProblem problem) {
        Map<String, String> errors = new LinkedHashMap<>();
        problem.errors().forEach(e -> errors.merge(e.field(), e.message(), (a, b) -> a + "; " + b));
        if (errors.isEmpty()) {
            errors.put("username", problem.detail());
        }
        return errors;
    }

    private OrgRef admin(String org) {
        return access.require(org, Role.ADMIN);
    }
}

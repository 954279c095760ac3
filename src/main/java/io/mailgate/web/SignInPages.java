package io.mailgate.web;

import io.mailgate.account.MeService.OrgRole;
import io.mailgate.account.Role;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** Sign-in, the start page, and the organization switcher. */
@Controller
class SignInPages {

    @GetMapping("/login")
    String signIn() {
        return "login";
    }

    /** Admins start at their connections, analysts at the incidents, of their first organization. */
    @GetMapping("/")
    String start(@ModelAttribute("organizations") List<OrgRole> organizations) {
        if (organizations.isEmpty()) {
            return "no-organization";
        }
        return home(organizations.get(0));
    }

    /** Only an organization the user belongs to is taken; anything else starts over at the start page. */
    @GetMapping("/switch-organization")
    String switchTo(@RequestParam String org, @ModelAttribute("organizations") List<OrgRole> organizations) {
        return organizations.stream()
                .filter(o -> o.handle().equals(org))
                .findFirst()
                .map(SignInPages::home)
                .orElse("redirect:/");
    }

    private static String home(OrgRole org) {
        return "redirect:/orgs/" + org.handle() + (org.role() == Role.ADMIN ? "/connections" : "/incidents");
    }
}

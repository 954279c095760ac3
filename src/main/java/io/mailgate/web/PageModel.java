package io.mailgate.web;

import io.mailgate.account.MeService;
import io.mailgate.account.MeService.OrgRole;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What the top bar of every page needs: who is signed in, their organizations (the switcher) and the one the
 * page is about. The current organization is only shown here; each page checks access itself.
 */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private final MeService me;

    PageModel(MeService me) {
        this.me = me;
    }

    @ModelAttribute("username")
    String username() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? null : authentication.getName();
    }

    /** System admins get a link to Hawtio (the authority UserPrincipal gives them; /actuator is theirs only). */
    @ModelAttribute("systemAdmin")
    boolean systemAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_SYSTEM_ADMIN".equals(a.getAuthority()));
    }

    /** None for a visitor not signed in: the sign-in page asks no database (it still works while that is down). */
    @ModelAttribute("organizations")
    List<OrgRole> organizations() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null
                        || authentication instanceof AnonymousAuthenticationToken
                        || authentication.getPrincipal() == null
                ? List.of()
                : me.memberships(authentication.getPrincipal());
    }

    @ModelAttribute("currentOrg")
    OrgRole currentOrg(HttpServletRequest request, @ModelAttribute("organizations") List<OrgRole> organizations) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        Object handle = variables instanceof Map<?, ?> map ? map.get("org") : null;
        return organizations.stream()
                .filter(o -> o.handle().equals(handle))
                .findFirst()
                .orElse(null);
    }
}

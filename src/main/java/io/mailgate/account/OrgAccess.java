package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether the current caller may act in an organization. Controllers
 * under {@code /api/v1/orgs/{org}} call {@link #require} first and scope every query by the
 * returned {@link OrgRef#id()}.
 */
@Component
public class OrgAccess {

    private final OrganizationRepository organizations;
    private final MembershipRepository memberships;

    OrgAccess(OrganizationRepository organizations, MembershipRepository memberships) {
        this.organizations = organizations;
        this.memberships = memberships;
    }

    /**
     * Resolves {@code {org}} for the current caller. Throws ApiProblem 404 "Organization not found"
     * when the org does not exist OR the caller has no role in it (never reveal existence); 403 when
     * the caller's role is below {@code minimum}.
     */
    public OrgRef require(String orgHandle, Role minimum) {
        Organization org =
                orgHandle != null && Organization.HANDLE.matcher(orgHandle).matches()
                        ? organizations.findByHandle(orgHandle).orElse(null)
                        : null;
        if (org == null) {
            throw orgNotFound();
        }
        Role role = roleIn(org).orElseThrow(OrgAccess::orgNotFound);
        if (!role.atLeast(minimum)) {
            throw ApiProblem.forbidden("This needs the " + minimum + " role in organization '" + org.getHandle()
                    + "'; the caller has " + role);
        }
        return org.ref();
    }

    /** Username, or {@code api-key:<prefix>} for an API key, for logs and audit; "system" outside a request. */
    public String callerName() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return "system";
        }
        if (authentication.getPrincipal() instanceof UserPrincipal user) {
            return user.getUsername();
        }
        if (authentication.getPrincipal() instanceof ApiKeyPrincipal key) {
            return key.name();
        }
        return authentication.getName();
    }

    /** The caller's role in {@code org}, if any. */
    Optional<Role> roleIn(Organization org) {
        Object principal = currentPrincipal();
        if (principal instanceof UserPrincipal user) {
            // a system admin is ADMIN everywhere, including organizations created after it
            return user.systemAdmin()
                    ? Optional.of(Role.ADMIN)
                    : memberships
                            .findByUserIdAndOrgId(user.userId(), org.getId())
                            .map(Membership::getRole);
        }
        if (principal instanceof ApiKeyPrincipal key) {
            return key.orgId() == org.getId() ? Optional.of(key.role()) : Optional.empty();
        }
        return Optional.empty();
    }

    /** The signed-in user or API key; the API filter chain guarantees one for {@code /api/**}. */
    Object currentPrincipal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication.getPrincipal() == null) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Authentication required");
        }
        return authentication.getPrincipal();
    }

    private static ApiProblem orgNotFound() {
        return ApiProblem.notFound("Organization not found");
    }
}

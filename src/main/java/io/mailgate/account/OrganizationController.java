package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/orgs")
class OrganizationController {

    record OrganizationView(String handle, String name) {
        static OrganizationView of(Organization org) {
            return new OrganizationView(org.getHandle(), org.getName());
        }
    }

    record CreateOrganization(
            @NotNull
            @Pattern(
                    regexp = Organization.HANDLE_REGEX,
                    message = "must be 2-64 characters: a lowercase letter, then lowercase letters, digits, '_' or '-'")
            String handle,

            @NotBlank @Size(max = 200) String name) {}

    private final OrganizationService organizations;
    private final OrgAccess access;

    OrganizationController(OrganizationService organizations, OrgAccess access) {
        this.organizations = organizations;
        this.access = access;
    }

    /** The organizations the caller has a role in (all of them for a system admin). */
    @GetMapping
    List<OrganizationView> list() {
        return organizations.visibleTo(access.currentPrincipal()).stream()
                .map(OrganizationView::of)
                .toList();
    }

    @GetMapping("/{org}")
    OrganizationView get(@PathVariable String org) {
        OrgRef ref = access.require(org, Role.ANALYST);
        return OrganizationView.of(organizations.get(ref));
    }

    /** System admins only. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the OpenAPI description; the entity sets it too
    ResponseEntity<OrganizationView> create(@Valid @RequestBody CreateOrganization request) {
        if (!(access.currentPrincipal() instanceof UserPrincipal user && user.systemAdmin())) {
            throw ApiProblem.forbidden("Only a system administrator can create organizations");
        }
        Organization created =
                organizations.create(request.handle(), request.name().strip());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + created.getHandle()))
                .body(OrganizationView.of(created));
    }
}

package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class OrganizationService {

    private final OrganizationRepository organizations;

    OrganizationService(OrganizationRepository organizations) {
        this.organizations = organizations;
    }

    @Transactional(readOnly = true)
    List<Organization> visibleTo(Object principal) {
        if (principal instanceof UserPrincipal user) {
            return user.systemAdmin()
                    ? organizations.findAllByOrderByHandleAsc()
                    : organizations.findAllForMember(user.userId());
        }
        if (principal instanceof ApiKeyPrincipal key) {
            return organizations.findById(key.orgId()).map(List::of).orElse(List.of());
        }
        return List.of();
    }

    @Transactional(readOnly = true)
    Organization get(OrgRef ref) {
        return organizations.findById(ref.id()).orElseThrow(() -> ApiProblem.notFound("Organization not found"));
    }

    @Transactional
    Organization create(String handle, String name) {
        if (organizations.existsByHandle(handle)) {
            throw ApiProblem.conflict("Organization '" + handle + "' already exists");
        }
        // a concurrent create of the same handle fails on the unique constraint: 409 from the advice
        return organizations.saveAndFlush(new Organization(handle, name));
    }
}

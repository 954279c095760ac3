package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The signed-in caller's organizations and password; the API's /me and the admin pages' organization switcher. */
@Service
public class MeService {

    public record OrgRole(String handle, String name, Role role) {}

    private static final Logger log = LoggerFactory.getLogger(MeService.class);

    private final OrganizationService organizations;
    private final MembershipRepository memberships;
    private final UserAccountRepository users;
    private final PasswordEncoder passwords;

    MeService(
            OrganizationService organizations,
            MembershipRepository memberships,
            UserAccountRepository users,
            PasswordEncoder passwords) {
        this.organizations = organizations;
        this.memberships = memberships;
        this.users = users;
        this.passwords = passwords;
    }

    @Transactional(readOnly = true)
    public List<OrgRole> memberships(Object principal) {
        boolean systemAdmin = principal instanceof UserPrincipal user && user.systemAdmin();
        Map<Long, Role> roles = Map.of();
        if (principal instanceof UserPrincipal user && !systemAdmin) {
            roles = memberships.findAllByUserId(user.userId()).stream()
                    .collect(Collectors.toMap(Membership::getOrgId, Membership::getRole));
        } else if (principal instanceof ApiKeyPrincipal key) {
            roles = Map.of(key.orgId(), key.role());
        }
        List<OrgRole> result = new ArrayList<>();
        for (Organization org : organizations.visibleTo(principal)) {
            Role role = systemAdmin ? Role.ADMIN : roles.get(org.getId());
            if (role != null) {
                result.add(new OrgRole(org.getHandle(), org.getName(), role));
            }
        }
        return result;
    }

    @Transactional
    void changePassword(long userId, String currentPassword, String newPassword) {
        UserAccount user = users.findById(userId).orElseThrow(() -> ApiProblem.notFound("User not found"));
        if (!passwords.matches(currentPassword, user.getPasswordHash())) {
            throw ApiProblem.validation("currentPassword", "is not correct");
        }
        if (newPassword.getBytes(StandardCharsets.UTF_8).length > AdminBootstrap.MAX_PASSWORD_BYTES) {
            throw ApiProblem.validation("newPassword", "must be at most 72 bytes");
        }
        user.setPasswordHash(passwords.encode(newPassword));
        log.info("User '{}' changed their password", user.getUsername());
    }
}

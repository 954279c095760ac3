package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class MemberService {

    record Added(UserAccount user, Role role, boolean userCreated) {}

    private static final Logger log = LoggerFactory.getLogger(MemberService.class);

    private final UserAccountRepository users;
    private final MembershipRepository memberships;
    private final PasswordEncoder passwords;
    private final OrgAccess access;

    MemberService(
            UserAccountRepository users,
            MembershipRepository memberships,
            PasswordEncoder passwords,
            OrgAccess access) {
        this.users = users;
        this.memberships = memberships;
        this.passwords = passwords;
        this.access = access;
    }

    @Transactional
    Added add(OrgRef org, String username, String password, Role role) {
        UserAccount user = users.findByUsername(username).orElse(null);
        boolean created = false;
        if (user == null) {
            if (password == null || password.isBlank()) {
                throw ApiProblem.validation("password", "is required for a new user");
            }
            if (password.getBytes(StandardCharsets.UTF_8).length > AdminBootstrap.MAX_PASSWORD_BYTES) {
                throw ApiProblem.validation("password", "must be at most 72 bytes");
            }
            user = users.save(new UserAccount(username, passwords.encode(password), false));
            created = true;
        }
        long userId = user.getId();
        Membership membership = memberships
                .findByUserIdAndOrgId(userId, org.id())
                .orElseGet(() -> new Membership(userId, org.id(), role));
        membership.setRole(role);
        memberships.save(membership);
        log.info(
                "User '{}'{} has role {} in organization '{}', set by {}",
                username,
                created ? " (new)" : "",
                role,
                org.handle(),
                access.callerName());
        return new Added(user, role, created);
    }

    @Transactional(readOnly = true)
    List<MemberController.MemberView> list(OrgRef org) {
        List<Membership> members = memberships.findAllByOrgId(org.id());
        Map<Long, UserAccount> byId = users
                .findAllById(members.stream().map(Membership::getUserId).toList())
                .stream()
                .collect(Collectors.toMap(UserAccount::getId, Function.identity()));
        List<MemberController.MemberView> views = new ArrayList<>();
        for (Membership member : members) {
            UserAccount user = byId.get(member.getUserId());
            views.add(new MemberController.MemberView(user.getUsername(), member.getRole(), user.isSystemAdmin()));
        }
        views.sort(Comparator.comparing(MemberController.MemberView::username));
        return views;
    }
}

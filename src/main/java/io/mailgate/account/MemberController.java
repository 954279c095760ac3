package io.mailgate.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
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
import org.springframework.web.bind.annotation.RestController;

/** Who has which role in an organization; ADMIN only. Enough for multi-organization setups and tests. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/members")
class MemberController {

    record MemberView(String username, Role role, boolean systemAdmin) {}

    /**
     * {@code password} is used only when the user is new (it is then required); an existing user's
     * password is never changed here, so an organization's admin cannot take over another
     * organization's user.
     */
    record AddMember(
            @NotNull
            @Pattern(
                    regexp = UserAccount.USERNAME_REGEX,
                    message =
                            "must be 1-100 characters: letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
            String username,

            @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) @Size(min = 8, max = 72)
            String password,

            @NotNull Role role) {

        @Override
        public String toString() {
            return "AddMember[username=" + username + ", role=" + role + "]";
        }
    }

    private final MemberService members;
    private final OrgAccess access;

    MemberController(MemberService members, OrgAccess access) {
        this.members = members;
        this.access = access;
    }

    /** 201 when the user was created, 200 when an existing user was given (or changed) a role here. */
    @PostMapping
    ResponseEntity<MemberView> add(@PathVariable String org, @Valid @RequestBody AddMember request) {
        OrgRef ref = access.require(org, Role.ADMIN);
        MemberService.Added added = members.add(ref, request.username(), request.password(), request.role());
        MemberView view = new MemberView(
                added.user().getUsername(), added.role(), added.user().isSystemAdmin());
        if (!added.userCreated()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(URI.create("/api/v1/orgs/" + ref.handle() + "/members"))
                .body(view);
    }

    @GetMapping
    List<MemberView> list(@PathVariable String org) {
        OrgRef ref = access.require(org, Role.ADMIN);
        return members.list(ref);
    }
}

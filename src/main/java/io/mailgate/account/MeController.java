package io.mailgate.account;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailgate.api.ApiProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The caller itself: who it is, where it has which role, and (users only) a password change. */
@RestController
@RequestMapping("/api/v1/me")
class MeController {

    record Me(String name, String kind, boolean systemAdmin, List<MeService.OrgRole> organizations) {}

    record ChangePassword(
            @NotNull @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
            String currentPassword,

            @NotNull @Size(min = 8, max = 72) @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
            String newPassword) {

        @Override
        public String toString() {
            return "ChangePassword[***]";
        }
    }

    private final MeService me;
    private final OrgAccess access;

    MeController(MeService me, OrgAccess access) {
        this.me = me;
        this.access = access;
    }

    @GetMapping
    Me get() {
        Object principal = access.currentPrincipal();
        boolean systemAdmin = principal instanceof UserPrincipal user && user.systemAdmin();
        String kind = principal instanceof ApiKeyPrincipal ? "API_KEY" : "USER";
        return new Me(access.callerName(), kind, systemAdmin, me.memberships(principal));
    }

    @PutMapping("/password")
    ResponseEntity<Void> changePassword(@Valid @RequestBody ChangePassword request) {
        if (!(access.currentPrincipal() instanceof UserPrincipal user)) {
            throw ApiProblem.forbidden("Only users have passwords; an API key cannot change one");
        }
        me.changePassword(user.userId(), request.currentPassword(), request.newPassword());
        return ResponseEntity.noContent().build();
    }
}

package io.mailgate.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** An organization's API keys; ADMIN only. The key itself appears once, in the creation response. */
@RestController
@RequestMapping("/api/v1/orgs/{org}/api-keys")
class ApiKeyController {

    /** {@code key} is set only in the response to POST; the database has no way to show it again. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ApiKeyView(
            long id,
            String name,
            String prefix,
            Role role,
            Instant createdAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant lastUsedAt,
            String key) {

        static ApiKeyView of(ApiKey key, String value) {
            return new ApiKeyView(
                    key.getId(),
                    key.getName(),
                    key.getKeyPrefix(),
                    key.getRole(),
                    key.getCreatedAt(),
                    key.getLastUsedAt(),
                    value);
        }
    }

    /** {@code role} defaults to ANALYST. */
    record CreateApiKey(@NotBlank @Size(max = 100) String name, Role role) {}

    private final ApiKeyService keys;
    private final OrgAccess access;

    ApiKeyController(ApiKeyService keys, OrgAccess access) {
        this.keys = keys;
        this.access = access;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED) // for the OpenAPI description; the entity sets it too
    ResponseEntity<ApiKeyView> create(@PathVariable String org, @Valid @RequestBody CreateApiKey request) {
        OrgRef ref = access.require(org, Role.ADMIN);
        ApiKeyService.Created created =
                keys.create(ref, request.name().strip(), request.role() == null ? Role.ANALYST : request.role());
        return ResponseEntity.created(URI.create("/api/v1/orgs/" + ref.handle() + "/api-keys/"
                        + created.key().getId()))
                .body(ApiKeyView.of(created.key(), created.value()));
    }

    @GetMapping
    List<ApiKeyView> list(@PathVariable String org) {
        OrgRef ref = access.require(org, Role.ADMIN);
        return keys.list(ref).stream().map(key -> ApiKeyView.of(key, null)).toList();
    }

    @GetMapping("/{id}")
    ApiKeyView get(@PathVariable String org, @PathVariable long id) {
        OrgRef ref = access.require(org, Role.ADMIN);
        return ApiKeyView.of(keys.get(ref, id), null);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String org, @PathVariable long id) {
        OrgRef ref = access.require(org, Role.ADMIN);
        keys.delete(ref, id);
        return ResponseEntity.noContent().build();
    }
}

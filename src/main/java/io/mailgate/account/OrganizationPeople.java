package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * An organization's members and API keys for the admin pages, with the API's rules: the same validation as
 * the request bodies of {@code …/members} and {@code …/api-keys} (errors name the same fields), the same services
 * behind them. The caller has checked the admin role in {@code org}.
 */
@Service
public class OrganizationPeople {

    public record Member(String username, Role role, boolean systemAdmin) {}

    public record Key(long id, String name, String prefix, Role role, Instant createdAt, Instant lastUsedAt) {}

    /** A key just made: the only time its value exists outside the caller's hands. */
    public record NewKey(Key key, String value) {
        @Override
        public String toString() {
            return "NewKey[" + key + ", value=***]";
        }
    }

    private final MemberService members;
    private final ApiKeyService keys;
    private final Validator validator;

    OrganizationPeople(MemberService members, ApiKeyService keys, Validator validator) {
        this.members = members;
        this.keys = keys;
        this.validator = validator;
    }

    public List<Member> members(OrgRef org) {
        return members.list(org).stream()
                .map(m -> new Member(m.username(), m.role(), m.systemAdmin()))
                .toList();
    }

    /** Gives a user a role here, creating the user (password required) when new; true when the user was created. */
    public boolean addMember(OrgRef org, String username, String password, Role role) {
        MemberController.AddMember request = new MemberController.AddMember(username, password, role);
        rejectInvalid(validator.validate(request));
        return members.add(org, username, password, role).userCreated();
    }

    public List<Key> apiKeys(OrgRef org) {
        return keys.list(org).stream()
                .map(OrganizationPeople::key)
                .sorted(Comparator.comparing(Key::id))
                .toList();
    }

    public NewKey createApiKey(OrgRef org, String name, Role role) {
        rejectInvalid(validator.validate(new ApiKeyController.CreateApiKey(name, role)));
        ApiKeyService.Created created = keys.create(org, name.strip(), role == null ? Role.ANALYST : role);
        return new NewKey(key(created.key()), created.value());
    }

    public void revokeApiKey(OrgRef org, long id) {
        keys.delete(org, id);
    }

    private static Key key(ApiKey key) {
        return new Key(
                key.getId(), key.getName(), key.getKeyPrefix(), key.getRole(), key.getCreatedAt(), key.getLastUsedAt());
    }

    private static <T> void rejectInvalid(Set<ConstraintViolation<T>> violations) {
        if (!violations.isEmpty()) {
            throw ApiProblem.validation(violations.stream()
                    .map(v -> new ApiProblem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(ApiProblem.FieldError::field))
                    .toList());
        }
    }
}

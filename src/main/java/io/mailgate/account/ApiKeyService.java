package io.mailgate.account;

import io.mailgate.api.ApiProblem;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ApiKeyService {

    /** The stored key and, only right after creation, its value. */
    record Created(ApiKey key, String value) {
        @Override
        public String toString() {
            return "Created[" + key + "]";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);

    private final ApiKeyRepository keys;
    private final OrgAccess access;

    ApiKeyService(ApiKeyRepository keys, OrgAccess access) {
        this.keys = keys;
        this.access = access;
    }

    /**
     * Names are unique per organization (they say who uses the key). The check answers the usual case with a
     * field error; the database's constraint settles a race between two admins the same way.
     */
    @Transactional
    Created create(OrgRef org, String name, Role role) {
        if (keys.existsByOrgIdAndName(org.id(), name)) {
            throw nameTaken(name);
        }
        String value = ApiKeys.generate();
        ApiKey key;
        try {
            key = keys.saveAndFlush(
                    new ApiKey(org.id(), name, ApiKeys.displayPrefix(value), ApiKeys.hash(value), role));
        } catch (DataIntegrityViolationException e) {
            throw nameTaken(name);
        }
        log.info(
                "API key {} ({}, {}) created in organization '{}' by {}",
                key.getKeyPrefix(),
                name,
                role,
                org.handle(),
                access.callerName());
        return new Created(key, value);
    }

    private static ApiProblem nameTaken(String name) {
        return new ApiProblem(
                HttpStatus.CONFLICT,
                "Conflict",
                "An API key named " + name + " already exists.",
                List.of(new ApiProblem.FieldError("name", "is already used by another key of this organization")));
    }

    @Transactional(readOnly = true)
    List<ApiKey> list(OrgRef org) {
        return keys.findAllByOrgIdOrderByIdAsc(org.id());
    }

    @Transactional(readOnly = true)
    ApiKey get(OrgRef org, long id) {
        return keys.findByIdAndOrgId(id, org.id()).orElseThrow(() -> ApiProblem.notFound("API key not found"));
    }

    @Transactional
    void delete(OrgRef org, long id) {
        ApiKey key = get(org, id);
        keys.delete(key);
        log.info(
                "API key {} deleted from organization '{}' by {}",
                key.getKeyPrefix(),
                org.handle(),
                access.callerName());
    }
}

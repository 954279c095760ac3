package io.mailgate.system;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    @Transactional
    Created create(OrgRef org, String name, Role role) {
        String value = ApiKeys.generate();
        ApiKey key = keys.save(new ApiKey(org.id(), name, ApiKeys.displayPrefix(value), ApiKeys.hash(value), role));
        log.info("API key {} ({}, {}) created in organization '{}' by {}", key.getKeyPrefix(), name, role,
                org.handle(), access.callerName());
        return new Created(key, value);
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
        log.info("API key {} deleted from organization '{}' by {}", key.getKeyPrefix(), org.handle(), access.callerName());
    }
}

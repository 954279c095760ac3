package io.mailgate.incident;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.parse.ArtifactFilter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-organization allow-lists for artifacts: the organization's own domains and internal address ranges,
 * which would otherwise be noise in every incident. The parser applies them; this keeps them per org.
 */
@Component
public class ArtifactAllowLists {

    /** GET/PUT /api/v1/orgs/{org}/artifact-allow-list. */
    public record AllowList(List<String> domains, List<String> cidrRanges) {}

    private final JdbcTemplate jdbc;
    private final Map<Long, ArtifactFilter> cache = new ConcurrentHashMap<>();

    ArtifactAllowLists(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public ArtifactFilter filterOf(long orgId) {
        return cache.computeIfAbsent(orgId, id -> {
            AllowList list = load(id);
            return list.domains().isEmpty() && list.cidrRanges().isEmpty()
                    ? ArtifactFilter.none()
                    : ArtifactFilter.of(list.domains(), list.cidrRanges());
        });
    }

    AllowList load(long orgId) {
        return new AllowList(
                jdbc.queryForList(
                        "SELECT entry FROM artifact_allow_list WHERE org_id = ? AND kind = 'DOMAIN' ORDER BY entry",
                        String.class,
                        orgId),
                jdbc.queryForList(
                        "SELECT entry FROM artifact_allow_list WHERE org_id = ? AND kind = 'CIDR' ORDER BY entry",
                        String.class,
                        orgId));
    }

    @Transactional
    AllowList replace(long orgId, AllowList list) {
        List<String> domains = list.domains() == null
                ? List.of()
                : list.domains().stream()
                        .map(d -> d.trim().toLowerCase(Locale.ROOT))
                        .filter(d -> !d.isEmpty())
                        .distinct()
                        .toList();
        List<String> ranges = list.cidrRanges() == null
                ? List.of()
                : list.cidrRanges().stream()
                        .map(String::trim)
                        .filter(r -> !r.isEmpty())
                        .distinct()
                        .toList();
        try {
            ArtifactFilter.of(domains, ranges);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.validation("cidrRanges", e.getMessage());
        }
        if (domains.stream().anyMatch(d -> d.length() > 253 || !d.matches("[a-z0-9.*-]+"))) {
            throw ApiProblem.validation("domains", "must be domain names such as example.com");
        }
        jdbc.update("DELETE FROM artifact_allow_list WHERE org_id = ?", orgId);
        domains.forEach(d ->
                jdbc.update("INSERT INTO artifact_allow_list (org_id, kind, entry) VALUES (?, 'DOMAIN', ?)", orgId, d));
        ranges.forEach(r ->
                jdbc.update("INSERT INTO artifact_allow_list (org_id, kind, entry) VALUES (?, 'CIDR', ?)", orgId, r));
        cache.remove(orgId);
        return load(orgId);
    }

    @RestController
    @RequestMapping("/api/v1/orgs/{org}/artifact-allow-list")
    static class Endpoint {

        private final OrgAccess access;
        private final ArtifactAllowLists lists;

        Endpoint(OrgAccess access, ArtifactAllowLists lists) {
            this.access = access;
            this.lists = lists;
        }

        @GetMapping
        AllowList get(@PathVariable String org) {
            return lists.load(access.require(org, Role.ANALYST).id());
        }

        @PutMapping
        AllowList put(@PathVariable String org, @RequestBody AllowList list) {
            OrgRef ref = access.require(org, Role.ADMIN);
            return lists.replace(ref.id(), list);
        }
    }
}

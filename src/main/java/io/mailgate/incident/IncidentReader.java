package io.mailgate.incident;

import io.mailgate.account.OrgRef;
import io.mailgate.incident.Views.IncidentView;
import io.mailgate.incident.Views.MessageDetailView;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Incidents as an analyst reads them in the pages: most recently changed first, and one incident with its
 * messages' bodies. Always within one organization; the caller has checked the analyst role in it.
 */
@Service
public class IncidentReader {

    /** A row of the incidents list. */
    public record IncidentSummary(
            long id,
            String title,
            String status,
            String connection,
            long messages,
            Instant createdAt,
            Instant updatedAt) {}

    /** One page of the list, and where the next (older) page starts; null on the last page. */
    public record RecentPage(List<IncidentSummary> items, Long nextBefore) {}

    /** An incident and each of its messages in full (headers and bodies), in the order they arrived. */
    public record IncidentDetail(IncidentView incident, List<MessageDetailView> messages) {}

    private final IncidentRepository incidents;
    private final EmailMessageRepository messages;
    private final IncidentQueries queries;

    IncidentReader(IncidentRepository incidents, EmailMessageRepository messages, IncidentQueries queries) {
        this.incidents = incidents;
        this.messages = messages;
        this.queries = queries;
    }

    /** Incidents changed before the position {@code before} (null: from the newest), newest change first. */
    @Transactional(readOnly = true)
    public RecentPage recent(OrgRef org, Long before, int limit) {
        long from = before == null || before < 0 ? Long.MAX_VALUE : before;
        List<IncidentEntity> found =
                incidents.findByOrgIdAndChangeSeqLessThanOrderByChangeSeqDesc(org.id(), from, Limit.of(limit + 1));
        List<IncidentEntity> shown = found.subList(0, Math.min(limit, found.size()));
        List<IncidentSummary> items = shown.stream()
                .map(i -> new IncidentSummary(
                        i.getId(),
                        i.getTitle(),
                        i.getStatus(),
                        i.getConnectionApiName(),
                        messages.countByIncidentId(i.getId()),
                        i.getCreatedAt(),
                        i.getUpdatedAt()))
                .toList();
        Long next = found.size() > limit ? shown.get(shown.size() - 1).getChangeSeq() : null;
        return new RecentPage(items, next);
    }

    @Transactional(readOnly = true)
    public IncidentDetail detail(OrgRef org, long id) {
        IncidentView incident = queries.incident(org, id);
        return new IncidentDetail(
                incident,
                incident.messages().stream()
                        .map(m -> queries.message(org, m.id()))
                        .toList());
    }
}

package io.mailgate.quarantine;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.ingest.Downloads;
import io.mailgate.ingest.RawContentStore;
import java.io.OutputStream;
import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * What an analyst does with quarantined messages, in one place for the API and the analyst pages: list them,
 * download one's raw bytes, retry one. Always within one organization; the caller has checked the analyst role
 * in it, and another organization's entry is "not found".
 */
@Service
public class QuarantineDesk {

    /** One page, newest first, and where the next (older) page starts; null on the last page. */
    public record NewestPage(List<QuarantineView> items, Long nextBefore) {}

    private final QuarantineRepository quarantine;
    private final QuarantineRetry retry;
    private final RawContentStore rawStore;

    QuarantineDesk(QuarantineRepository quarantine, QuarantineRetry retry, RawContentStore rawStore) {
        this.quarantine = quarantine;
        this.retry = retry;
        this.rawStore = rawStore;
    }

    /** In the order they were quarantined, after an id (the API's cursor). */
    @Transactional(readOnly = true)
    public List<QuarantineView> after(OrgRef org, long after, int limit) {
        return quarantine.findByOrgIdAndIdGreaterThanOrderById(org.id(), after, Limit.of(limit)).stream()
                .map(QuarantineView::of)
                .toList();
    }

    /** Newest first, before an id (null: from the newest). */
    @Transactional(readOnly = true)
    public NewestPage newest(OrgRef org, Long before, int limit) {
        long from = before == null || before < 0 ? Long.MAX_VALUE : before;
        List<QuarantineView> found =
                quarantine.findByOrgIdAndIdLessThanOrderByIdDesc(org.id(), from, Limit.of(limit + 1)).stream()
                        .map(QuarantineView::of)
                        .toList();
        List<QuarantineView> shown = found.subList(0, Math.min(limit, found.size()));
        return new NewestPage(
                shown, found.size() > limit ? shown.get(shown.size() - 1).id() : null);
    }

    @Transactional(readOnly = true)
    public QuarantineView get(OrgRef org, long id) {
        return QuarantineView.of(entry(org, id));
    }

    /** The quarantined message's bytes exactly as fetched, as {@code quarantined-{id}.eml}. */
    public ResponseEntity<StreamingResponseBody> raw(OrgRef org, long id) {
        QuarantineEntity entry = entry(org, id);
        long rawId = entry.rawContentId;
        StreamingResponseBody body = (OutputStream out) -> rawStore.copyTo(rawId, out);
        return Downloads.rawMessage("quarantined-" + id + ".eml", entry.size, body);
    }

    /** Sends it through the pipeline again: released into an incident, or still quarantined with its reason. */
    public QuarantineRetry.Outcome retry(OrgRef org, long id) throws Exception {
        return retry.retry(org, id);
    }

    private QuarantineEntity entry(OrgRef org, long id) {
        return quarantine
                .findByIdAndOrgId(id, org.id())
                .orElseThrow(() -> ApiProblem.notFound("No quarantined message " + id + "."));
    }
}

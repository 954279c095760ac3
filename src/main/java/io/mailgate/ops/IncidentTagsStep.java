package io.mailgate.ops;

import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.IngestProperties;
import io.mailgate.ingest.RejectedMessageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores the tags that a hook route put in {@link PipelineHooks#TAGS} on the stored message's incident. A new tag is
 * a change of the incident: it takes the next position of the change feed, so SOARs and forwarders see it.
 */
@Component("incidentTagsStep")
class IncidentTagsStep implements Processor {

    static final int MAX_TAG = 100;
    static final int MAX_TAGS = 50;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    IncidentTagsStep(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object value = exchange.getProperty(PipelineHooks.TAGS);
        IngestResult result = exchange.getProperty(IngestProperties.RESULT, IngestResult.class);
        if (value == null || result == null || result.incidentId() == null) {
            return;
        }
        Set<String> tags = tags(value);
        if (!tags.isEmpty()) {
            transaction.executeWithoutResult(status -> tag(result.incidentId(), tags));
        }
    }

    static Set<String> tags(Object value) throws RejectedMessageException {
        Set<String> tags = new LinkedHashSet<>();
        Collection<?> items = value instanceof Collection<?> c ? c : java.util.Arrays.asList(value.toString().split(","));
        for (Object item : items) {
            String tag = item == null ? "" : item.toString().strip();
            if (tag.isEmpty()) {
                continue;
            }
            if (tag.length() > MAX_TAG) {
                throw new RejectedMessageException("BAD_TAG", "A hook route set a tag longer than " + MAX_TAG
                        + " characters in " + PipelineHooks.TAGS + ".");
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_TAGS) {
            throw new RejectedMessageException("BAD_TAG", "A hook route set more than " + MAX_TAGS + " tags.");
        }
        return tags;
    }

    private void tag(long incidentId, Set<String> tags) {
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        int added = 0;
        for (String tag : tags) {
            Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM incident_tags WHERE incident_id = ? AND tag = ?",
                    Integer.class, incidentId, tag);
            if (exists != null && exists == 0) {
                added += jdbc.update("INSERT INTO incident_tags (incident_id, tag, created_at) VALUES (?, ?, ?)",
                        incidentId, tag, now);
            }
        }
        if (added > 0) {
            // The incident changed: the next change-feed position, under the counter row's lock (see ChangeSequence).
            jdbc.update("UPDATE change_sequence SET last_value = last_value + 1 WHERE id = 1");
            Long seq = jdbc.queryForObject("SELECT last_value FROM change_sequence WHERE id = 1", Long.class);
            jdbc.update("UPDATE incidents SET change_seq = ?, updated_at = ? WHERE id = ?", seq, now, incidentId);
        }
    }
}

package io.mailgate.ops;

import io.mailgate.incident.ChangeSequencer;
import io.mailgate.incident.IngestResult;
import io.mailgate.ingest.ExchangePropertyNames;
import io.mailgate.ingest.RejectedMessageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
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
 * a change of the incident: it gets the next position of the change feed, so SOARs and forwarders see it.
 */
@Component("incidentTagsStep")
class IncidentTagsStep implements Processor {

    static final int MAX_TAG = 100;
    static final int MAX_TAGS = 50;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final ChangeSequencer sequencer;

    IncidentTagsStep(JdbcTemplate jdbc, TransactionTemplate transaction, ChangeSequencer sequencer) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.sequencer = sequencer;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object value = exchange.getProperty(PipelineHooks.TAGS);
        IngestResult result = exchange.getProperty(ExchangePropertyNames.RESULT, IngestResult.class);
        if (value == null || result == null || result.incidentId() == null) {
            return;
        }
        Set<String> tags = tags(value);
        if (!tags.isEmpty()) {
            Integer added = transaction.execute(status -> tag(result.incidentId(), tags));
            if (added != null && added > 0) {
                sequencer.afterCommit(); // as after an ingest: the change is visible before the message completes
            }
        }
    }

    static Set<String> tags(Object value) throws RejectedMessageException {
        Set<String> tags = new LinkedHashSet<>();
        Collection<?> items = value instanceof Collection<?> c
                ? c
                : Arrays.asList(value.toString().split(","));
        for (Object item : items) {
            String tag = item == null ? "" : item.toString().strip();
            if (tag.isEmpty()) {
                continue;
            }
            if (tag.length() > MAX_TAG) {
                throw new RejectedMessageException(
                        "BAD_TAG",
                        "A hook route set a tag longer than " + MAX_TAG + " characters in " + PipelineHooks.TAGS + ".");
            }
            tags.add(tag);
        }
        if (tags.size() > MAX_TAGS) {
            throw new RejectedMessageException("BAD_TAG", "A hook route set more than " + MAX_TAGS + " tags.");
        }
        return tags;
    }

    /** Adds the tags the incident lacks; returns how many. */
    private int tag(long incidentId, Set<String> tags) {
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
        int added = 0;
        for (String tag : tags) {
            Integer exists = jdbc.queryForObject(
                    "SELECT COUNT(*) FROM incident_tags WHERE incident_id = ? AND tag = ?",
                    Integer.class,
                    incidentId,
                    tag);
            if (exists != null && exists == 0) {
                added += jdbc.update(
                        "INSERT INTO incident_tags (incident_id, tag, created_at) VALUES (?, ?, ?)",
                        incidentId,
                        tag,
                        now);
            }
        }
        if (added > 0) {
            // The incident changed: it waits for its next change-feed position, which the sequencer gives after the
            // commit (the same way as an ingest's change; no lock held here).
            jdbc.update("UPDATE incidents SET change_pending = TRUE, updated_at = ? WHERE id = ?", now, incidentId);
        }
        return added;
    }
}

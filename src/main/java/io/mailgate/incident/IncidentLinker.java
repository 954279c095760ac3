package io.mailgate.incident;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.IncidentPolicy;
import io.mailgate.ingest.RejectedMessageException;
import io.mailgate.parse.ParsedEmail;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The incident policy: which incident a message joins, and why. Only incidents of the message's own
 * organization are ever candidates, so a subject cannot reach into another organization's incidents.
 */
@Component
public class IncidentLinker {

    /** Subjects longer than this are cut before matching, which bounds the cost of an admin's pattern. */
    private static final int MAX_SUBJECT_CHARS = 2000;

    private static final int MAX_THREAD_IDS = 100;

    /** The incident a message joins (null: a new one) and why; handed to the store step in an exchange property. */
    public record Decision(Long incidentId, LinkReason reason) {}

    // Plain JDBC: this runs for every message on the group committer's thread, where going through Hibernate's
    // query machinery cost more than the query (issue 13).
    private static final String INCIDENT_OF_ORG = "SELECT id FROM incidents WHERE id = ? AND org_id = ?";
    private static final String LATEST_INCIDENT_OF_MESSAGE_IDS =
            "SELECT incident_id FROM email_messages WHERE org_id = ? AND message_id IN (%s) ORDER BY id DESC LIMIT 1";

    private final JdbcTemplate jdbc;
    private final ConcurrentHashMap<String, Pattern> patterns = new ConcurrentHashMap<>();

    IncidentLinker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The connection's incident policy applied to a message; UNMATCHED rejects it in APPEND mode. */
    public Decision decide(ConnectionEntity connection, ParsedEmail email) throws RejectedMessageException {
        return decide(connection.getOrgId(), connection.getSettings().incidentPolicy(), email);
    }

    Decision decide(long orgId, IncidentPolicy policy, ParsedEmail email) throws RejectedMessageException {
        if (policy.mode() == IncidentPolicy.Mode.CREATE) {
            return new Decision(null, LinkReason.NEW);
        }
        Optional<Long> referenced = referencedIncident(orgId, policy.referencePattern(), email.subject());
        if (referenced.isPresent()) {
            return new Decision(referenced.get(), LinkReason.REFERENCE_IN_SUBJECT);
        }
        if (policy.threading()) {
            Optional<Long> thread = threadIncident(orgId, email);
            if (thread.isPresent()) {
                return new Decision(thread.get(), LinkReason.THREAD);
            }
        }
        if (policy.mode() == IncidentPolicy.Mode.APPEND) {
            throw new RejectedMessageException(
                    "UNMATCHED",
                    "The connection only appends to existing incidents, and "
                            + "this message neither references one in its subject nor replies to a message of one.");
        }
        return new Decision(null, LinkReason.NEW);
    }

    private Optional<Long> referencedIncident(long orgId, String regex, String subject) {
        if (subject == null || regex == null) {
            return Optional.empty();
        }
        Pattern pattern = patterns.computeIfAbsent(regex, Pattern::compile);
        Matcher matcher = pattern.matcher(
                subject.length() > MAX_SUBJECT_CHARS ? subject.substring(0, MAX_SUBJECT_CHARS) : subject);
        while (matcher.find()) {
            String id = matcher.groupCount() >= 1 ? matcher.group(1) : null;
            if (id != null && id.matches("\\d{1,18}")) {
                List<Long> found = jdbc.queryForList(INCIDENT_OF_ORG, Long.class, Long.parseLong(id), orgId);
                if (!found.isEmpty()) {
                    return Optional.of(found.get(0));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Long> threadIncident(long orgId, ParsedEmail email) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (email.inReplyTo() != null) {
            ids.add(email.inReplyTo());
        }
        if (email.references() != null) {
            // The most recent references are last; prefer them.
            List<String> refs = new ArrayList<>(email.references());
            Collections.reverse(refs);
            ids.addAll(refs);
        }
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        List<String> bounded = ids.stream().limit(MAX_THREAD_IDS).toList();
        List<Object> arguments = new ArrayList<>(bounded.size() + 1);
        arguments.add(orgId);
        arguments.addAll(bounded);
        String sql =
                LATEST_INCIDENT_OF_MESSAGE_IDS.formatted(String.join(", ", Collections.nCopies(bounded.size(), "?")));
        return jdbc.queryForList(sql, Long.class, arguments.toArray()).stream().findFirst();
    }
}

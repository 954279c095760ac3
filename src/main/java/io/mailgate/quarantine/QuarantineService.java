package io.mailgate.quarantine;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.ingest.RawContentStore;
import io.mailgate.ingest.RawEmail;
import io.mailgate.parse.OuterHeaders;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Keeps messages that could not be processed, raw bytes and all, so the mailbox moves on and nothing is lost. */
@Service
public class QuarantineService {

    private static final Logger log = LoggerFactory.getLogger(QuarantineService.class);

    private final QuarantineRepository quarantine;
    private final RawContentStore rawStore;
    private final Clock clock = Clock.systemUTC();

    QuarantineService(QuarantineRepository quarantine, RawContentStore rawStore) {
        this.quarantine = quarantine;
        this.rawStore = rawStore;
    }

    /**
     * Quarantines a message, or updates the entry it came from when it is a retry. A redelivery of a message
     * already quarantined (same source position) does not make a second entry.
     *
     * @param headers the message's top-level Message-ID, Subject, From and Date, as far as they could be read
     *
     * @return the quarantine entry's id
     */
    @Transactional
    public long quarantine(
            ConnectionEntity connection,
            RawEmail raw,
            String code,
            String reason,
            OuterHeaders headers,
            Long retriedEntryId) {
        if (retriedEntryId != null) {
            QuarantineEntity entry = quarantine.findById(retriedEntryId).orElseThrow();
            entry.reasonCode = code;
            entry.reason = limit(reason, 2000);
            return entry.id;
        }
        if (raw.sourcePosition() != null) {
            var existing = quarantine.findByConnectionIdAndSourcePosition(connection.getId(), raw.sourcePosition());
            if (existing.isPresent()) {
                return existing.get().id;
            }
        }
        QuarantineEntity entry = new QuarantineEntity();
        entry.orgId = connection.getOrgId();
        entry.connectionId = connection.getId();
        entry.connectionApiName = connection.getApiName();
        entry.rawContentId = rawStore.save(raw);
        entry.sourcePosition = raw.sourcePosition();
        entry.reasonCode = code;
        entry.reason = limit(reason, 2000);
        entry.messageId = limit(headers.messageId(), 998);
        entry.subject = headers.subject();
        entry.fromAddress = headers.from() == null ? null : limit(headers.from().address(), 998);
        entry.fromName = headers.from() == null ? null : limit(headers.from().name(), 998);
        entry.sentAt = headers.date();
        entry.size = raw.size();
        entry.sha256 = raw.sha256();
        entry.status = QuarantineEntity.Status.QUARANTINED;
        entry.receivedAt = raw.receivedAt();
        entry = quarantine.save(entry);
        log.info(
                "Quarantined a message of {}/{} ({}): {}",
                connection.getOrgHandle(),
                connection.getApiName(),
                code,
                reason);
        return entry.id;
    }

    @Transactional
    void released(long entryId, long emailMessageId) {
        QuarantineEntity entry = quarantine.findById(entryId).orElseThrow();
        entry.status = QuarantineEntity.Status.RELEASED;
        entry.releasedMessageId = emailMessageId;
        entry.lastRetryAt = clock.instant();
        entry.retryCount++;
    }

    @Transactional
    void retried(long entryId) {
        QuarantineEntity entry = quarantine.findById(entryId).orElseThrow();
        entry.lastRetryAt = clock.instant();
        entry.retryCount++;
    }

    @Transactional(readOnly = true)
    public long countQuarantined(long connectionId) {
        return quarantine.countByConnectionIdAndStatus(connectionId, QuarantineEntity.Status.QUARANTINED);
    }

    private static String limit(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

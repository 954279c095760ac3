package io.mailgate.incident;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Counts for a connection's status. */
@Component
public class IngestCounts {

    private final EmailMessageRepository messages;

    IngestCounts(EmailMessageRepository messages) {
        this.messages = messages;
    }

    @Transactional(readOnly = true)
    public long messagesOf(long connectionId) {
        return messages.countByConnectionId(connectionId);
    }
}

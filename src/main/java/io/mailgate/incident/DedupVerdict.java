package io.mailgate.incident;

/**
 * What dedup found for one message, handed from the dedup step to the store step in an exchange property.
 *
 * @param dedupKey        the message's key (unique in email_messages), see {@link IncidentDedup#dedupKey}
 * @param duplicate       stored before: same source position, or same Message-ID and content
 * @param messageIdReused a different message with this Message-ID was stored before (kept, and flagged)
 */
public record DedupVerdict(String dedupKey, boolean duplicate, boolean messageIdReused) {}

package io.mailgate.incident;

/** What the store step did with a message. */
public record IngestResult(Outcome outcome, Long emailMessageId, Long incidentId, LinkReason linkReason) {

    public enum Outcome {
        /** Stored, and linked to an incident. */
        STORED,
        /** Already stored before (same source position, or same Message-ID and content): nothing changed. */
        DUPLICATE
    }

    public static IngestResult duplicate() {
        return new IngestResult(Outcome.DUPLICATE, null, null, null);
    }
}

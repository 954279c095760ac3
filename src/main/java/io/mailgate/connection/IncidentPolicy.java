package io.mailgate.connection;

/**
 * How a message becomes an incident: a new one, or appended to an incident it refers to.
 *
 * @param referencePattern a regular expression whose first group is an incident id, searched in the subject
 * @param threading        append a reply to the incident of the message it replies to (In-Reply-To, References)
 */
public record IncidentPolicy(Mode mode, String referencePattern, boolean threading) {

    public static final String DEFAULT_REFERENCE_PATTERN = "(?i)\\[(?:incident|inc)\\s*#?\\s*(\\d+)\\]";

    public enum Mode {
        /** Every message is a new incident. */
        CREATE,
        /** Only append to a referenced incident; anything else is quarantined as unmatched. */
        APPEND,
        /** Append when a reference or thread matches, else create. */
        CREATE_OR_APPEND
    }

    public static IncidentPolicy defaults() {
        return new IncidentPolicy(Mode.CREATE_OR_APPEND, DEFAULT_REFERENCE_PATTERN, true);
    }
}

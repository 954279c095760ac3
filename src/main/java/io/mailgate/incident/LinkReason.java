package io.mailgate.incident;

/** Why a message is in its incident. */
public enum LinkReason {
    /** The message made a new incident. */
    NEW,
    /** The subject carries the incident's reference, e.g. [INC 42]. */
    REFERENCE_IN_SUBJECT,
    /** In-Reply-To or References name a message already in the incident. */
    THREAD
}

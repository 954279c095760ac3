package io.mailgate.ops;

/**
 * Where routes of integration engineers (the external routes folder) hook into the shared pipeline
 * ({@code routes/pipeline.yaml}). Each hook is a {@code direct:} endpoint the pipeline calls with the message's
 * exchange; while no route consumes it, it does nothing. A hook route sees the pipeline's exchange properties and
 * may set {@link #TAGS}; an exception it throws fails the message like any step (left unread, tried again), and a
 * {@code io.mailgate.ingest.RejectedMessageException} quarantines it.
 */
final class PipelineHooks {

    /** After parsing, before the message is stored: property {@code mailgateParsed} holds the ParsedEmail. */
    public static final String BEFORE_STORE = "direct:mailgate-before-store";
    /** After the message was stored (or found to be a duplicate): property {@code mailgateResult} holds the outcome. */
    public static final String AFTER_STORE = "direct:mailgate-after-store";
    /**
     * Exchange property: tags for the message's incident, a comma-separated String or a collection of Strings
     * (each at most 100 characters). Stored with the incident; a new tag makes the incident "updated" for forwarders.
     */
    public static final String TAGS = "mailgateIncidentTags";

    private PipelineHooks() {}
}

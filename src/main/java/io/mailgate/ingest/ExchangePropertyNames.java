package io.mailgate.ingest;

/** Names of the exchange properties the pipeline steps share. Properties, unlike headers, never come from mail. */
public final class ExchangePropertyNames {

    /** The connection's database id (Long), set by every source route. */
    public static final String CONNECTION_ID = "mailgateConnectionId";
    /** The file the parser reads: the raw message, or its decrypted form. */
    public static final String PARSE_FILE = "mailgateParseFile";
    /** What decryption did ({@code io.mailgate.decrypt.DecryptOutcome}), absent when the step did nothing. */
    public static final String DECRYPTION = "mailgateDecryption";
    /** The {@code io.mailgate.parse.ParsedEmail}. */
    public static final String PARSED = "mailgateParsed";
    /** The dedup step's {@code io.mailgate.incident.DedupVerdict}, for the store step. */
    public static final String DEDUP = "mailgateDedup";
    /** The link step's {@code io.mailgate.incident.IncidentLinker.Decision}, for the store step. */
    public static final String LINK = "mailgateLink";
    /** The {@code IngestResult}: DUPLICATE from the dedup step, or STORED from the store step. */
    public static final String RESULT = "mailgateResult";
    /** The connection's entity, loaded once per message by the first step that needs it. */
    public static final String CONNECTION = "mailgateConnection";
    /** The quarantine entry's id (Long), once the message was quarantined. */
    public static final String QUARANTINED = "mailgateQuarantined";
    /** Set when the exchange retries a quarantined message (its quarantine id, Long). */
    public static final String QUARANTINE_ID = "mailgateQuarantineId";

    private ExchangePropertyNames() {}
}

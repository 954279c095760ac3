package io.mailgate.connection;

/** The reference's protocol choice for a connection. */
public enum Protocol {
    /** An IMAP mailbox. */
    IMAP,
    /** On-premises Exchange over EWS with a password. */
    EXCHANGE,
    /** Microsoft 365 with OAuth (Microsoft Graph, or legacy EWS). */
    OAUTH;

    /** The protocol part of route ids: imap-default-phishing_reports. */
    public String routePrefix() {
        return switch (this) {
            case IMAP -> "imap";
            case EXCHANGE -> "ews";
            case OAUTH -> "oauth";
        };
    }
}

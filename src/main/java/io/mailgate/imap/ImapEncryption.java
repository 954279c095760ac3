package io.mailgate.imap;

/** How an IMAP connection is protected, as the reference's "encryption method" offers it. */
public enum ImapEncryption {
    /** Implicit TLS from the first byte (usually port 993). */
    SSL_TLS,
    /** Plain connect, then STARTTLS; refused if the server does not offer it, so credentials never go in clear. */
    STARTTLS,
    /** No encryption at all; the admin chose it explicitly. */
    NONE;

    /** The Jakarta Mail protocol name. */
    public String protocol() {
        return this == SSL_TLS ? "imaps" : "imap";
    }
}

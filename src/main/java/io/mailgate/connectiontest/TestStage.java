package io.mailgate.connectiontest;

/** How far a connection test got, in the order the stages happen. */
public enum TestStage {
    /** Resolving the host name (of the proxy, when there is one). */
    DNS,
    /** Opening the TCP connection. */
    CONNECT,
    /** Talking to the proxy: its TLS certificate, its authentication, the CONNECT tunnel. */
    PROXY,
    /** TLS with the mail server: implicit, or STARTTLS after the capability check. */
    TLS,
    /** Logging in. */
    AUTH,
    /** Getting an OAuth token (OAUTH connections). */
    TOKEN,
    /** Opening the source folder. */
    FOLDER,
    /** Checking the decryption key. */
    DECRYPTION_KEY
}

package io.mailgate.connectiontest;

/** The {@link TestResult#code()} values. They are part of the API: add new ones, never rename one. */
public final class TestCodes {

    public static final String UNKNOWN_HOST = "UNKNOWN_HOST";
    public static final String CONNECTION_REFUSED = "CONNECTION_REFUSED";
    /** A route to the host is missing (no route, network unreachable). */
    public static final String HOST_UNREACHABLE = "HOST_UNREACHABLE";
    /** The server or proxy closed the connection before the test was done. */
    public static final String CONNECTION_CLOSED = "CONNECTION_CLOSED";

    public static final String TIMEOUT = "TIMEOUT";
    public static final String PROXY_AUTH_FAILED = "PROXY_AUTH_FAILED";
    /** The proxy answered CONNECT with something other than 200 or 407. */
    public static final String PROXY_CONNECT_FAILED = "PROXY_CONNECT_FAILED";

    public static final String UNTRUSTED_CERTIFICATE = "UNTRUSTED_CERTIFICATE";
    public static final String HOSTNAME_MISMATCH = "HOSTNAME_MISMATCH";
    /** Also used for a certificate that is not valid yet; the message says which. */
    public static final String CERTIFICATE_EXPIRED = "CERTIFICATE_EXPIRED";

    public static final String TLS_NOT_OFFERED = "TLS_NOT_OFFERED";
    /** TLS failed for another reason than the certificate, e.g. the port does not speak TLS. */
    public static final String TLS_HANDSHAKE_FAILED = "TLS_HANDSHAKE_FAILED";

    public static final String AUTH_FAILED = "AUTH_FAILED";
    public static final String FOLDER_NOT_FOUND = "FOLDER_NOT_FOUND";
    /** The server answered in a way the test did not expect; the message carries the server's words. */
    public static final String SERVER_ERROR = "SERVER_ERROR";

    public static final String UNEXPECTED_ERROR = "UNEXPECTED_ERROR";
    /** The settings cannot be used as they are (a component refused them); the message names what. */
    public static final String CONFIGURATION = "CONFIGURATION";
    /** The Microsoft 365 account that granted access is not the connection's mailbox account, nor its delegate. */
    public static final String ACCOUNT_MISMATCH = "ACCOUNT_MISMATCH";
    /** The endpoint is Exchange Online, which no longer offers EWS: use OAUTH (Microsoft Graph). */
    public static final String EWS_RETIRED = "EWS_RETIRED";

    private TestCodes() {}
}

/**
 * "Test connection": proves that a connection works the way its route will use it, and when it does not,
 * says where and why in terms an admin can act on (a {@link io.mailgate.connectiontest.TestResult} with a
 * {@link io.mailgate.connectiontest.TestStage} and a {@link io.mailgate.connectiontest.TestCodes code}).
 *
 * <p>{@link io.mailgate.connectiontest.ImapConnectionTester} tests IMAP connections end to end;
 * {@link io.mailgate.connectiontest.TlsProbe} tests TLS to an HTTPS endpoint, directly or through a proxy,
 * for EXCHANGE and OAUTH connections. Both take the certificates trusted for that one connection and, when a
 * certificate is the problem, answer with the chain the server (or, at stage PROXY, the proxy) presented, so
 * the admin can trust it for this connection and test again. Both are plain objects, safe to share, and
 * bounded in time (15 seconds at most); the REST layer only maps connections to probes and results to JSON.
 */
package io.mailgate.connectiontest;

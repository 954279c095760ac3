package io.mailgate.connection;

/**
 * The state API.md's status endpoint reports. DEGRADED: messages flow, but some of the last poll failed (they stay
 * unread and are tried again). PAUSED_AUTH: the server refused the password too often in a row; mailgate stopped
 * trying until the connection changes or an admin resumes it (POST …/connections/{apiName}/resume).
 */
public enum ConnectionState {
    RUNNING,
    DEGRADED,
    STOPPED,
    FAILING,
    PAUSED_AUTH,
    NEEDS_CONSENT
}

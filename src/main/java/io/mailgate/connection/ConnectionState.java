package io.mailgate.connection;

/** The state API.md's status endpoint reports. */
public enum ConnectionState { RUNNING, STOPPED, FAILING, NEEDS_CONSENT }

package io.mailgate.account;

/** An organization the current caller has been allowed into, as returned by {@link OrgAccess}. */
public record OrgRef(long id, String handle) {}

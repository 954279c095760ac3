package io.mailgate.component.msgraph;

/** A resolved mail folder. */
public record GraphFolder(String id, String displayName, int unreadItemCount) {}

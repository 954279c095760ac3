package io.mailgate.component.msgraph;

import java.util.List;

/**
 * One round of delta query: the folder's unread messages that are new or changed since the round's start, oldest
 * first, and the link that starts the next round.
 */
record GraphDelta(List<GraphMessage> unread, String deltaLink) {}

package io.mailgate.component.msgraph;

import java.time.Instant;

/** An unread message as listed: its immutable id and what the headers need. */
record GraphMessage(String id, String internetMessageId, Instant receivedDateTime) {}

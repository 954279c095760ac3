package io.mailgate.ingest;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A message exactly as fetched from its source, spooled to a file (CRLF, duplicate headers and all), so that
 * a 100 MB message costs disk, not heap.
 *
 * @param sourcePosition where the source keeps it (imap:UIDVALIDITY:UID, a Graph or EWS item id), or null
 */
public record RawEmail(Path file, long size, String sha256, String sourcePosition, Instant receivedAt) {}

package io.mailgate.parse;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one call of {@link MimeParser#parse} shares across the message and every message nested in it:
 * the limits' counters (parts, decoded bytes), the organization's filter, and a temporary directory for
 * the decoded bytes of nested messages, deleted when the parse ends.
 */
final class ParseRun implements AutoCloseable {

    private final ParseLimits limits;
    private final ArtifactFilter filter;
    private final LimitedMultipart.PartCounter counter;
    private final DecodedBudget budget;
    private Path tempDir;

    ParseRun(ParseLimits limits, ArtifactFilter filter) {
        this.limits = limits;
        this.filter = filter;
        this.counter = new LimitedMultipart.PartCounter(limits);
        this.budget = new DecodedBudget(limits.maxDecodedBytes());
    }

    ParseLimits limits() {
        return limits;
    }

    ArtifactFilter filter() {
        return filter;
    }

    LimitedMultipart.PartCounter counter() {
        return counter;
    }

    DecodedBudget budget() {
        return budget;
    }

    Path newTempFile() throws IOException {
        if (tempDir == null) {
            tempDir = Files.createTempDirectory("mailgate-parse-");
        }
        return Files.createTempFile(tempDir, "nested-", ".bin");
    }

    @Override
    public void close() throws IOException {
        if (tempDir == null) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tempDir)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(tempDir);
        tempDir = null;
    }
}

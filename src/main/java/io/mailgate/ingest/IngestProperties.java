package io.mailgate.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits and places of the shared pipeline.
 *
 * @param spoolDirectory  where raw messages are spooled while they go through the pipeline
 * @param maxMessageBytes a larger message is quarantined (kept, with reason TOO_LARGE) instead of parsed
 */
@Validated
@ConfigurationProperties("mailgate.ingest")
public record IngestProperties(
        @NotNull Path spoolDirectory, @Min(1024) long maxMessageBytes) {

    public IngestProperties {
        if (spoolDirectory == null) {
            spoolDirectory = Path.of(System.getProperty("java.io.tmpdir"), "mailgate-spool");
        }
        if (maxMessageBytes == 0) {
            maxMessageBytes = 200L * 1024 * 1024;
        }
    }
}

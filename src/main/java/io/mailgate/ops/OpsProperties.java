package io.mailgate.ops;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Credential health and how often it is checked.
 *
 * @param maxSilence        a connection without a successful poll for this long shows a warning
 * @param expiryWarningDays a secret, certificate, refresh token or decryption certificate that expires within this
 *                          many days shows a warning
 * @param checkInterval     how often warnings and the expiry gauges are recomputed
 */
@Validated
@ConfigurationProperties("mailgate.ops")
record OpsProperties(
        @NotNull Duration maxSilence,
        @Min(0) int expiryWarningDays,
        @NotNull Duration checkInterval) {

    OpsProperties {
        maxSilence = maxSilence == null ? Duration.ofHours(1) : maxSilence;
        checkInterval = checkInterval == null ? Duration.ofMinutes(1) : checkInterval;
    }
}

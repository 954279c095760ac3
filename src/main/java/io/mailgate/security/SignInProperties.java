package io.mailgate.security;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How sign-in with a password (HTTP Basic and the sign-in page) resists guessing. API keys are not throttled.
 *
 * @param enabled             false turns throttling off (failures are still counted and logged)
 * @param addressMaxFailures  failed sign-ins one client address may make in a burst; then it must wait
 * @param addressPeriod       the time in which those failures are forgiven again, evenly (10 in 5 minutes: one
 *                            more try every 30 seconds once the burst is spent)
 * @param accountMaxFailures  failed sign-ins for one account, from all addresses together, before addresses that
 *                            never signed in to it must wait; more lenient than the address limit, and never
 *                            applied to an address the account signed in from lately, so that guessing from
 *                            elsewhere cannot lock the real user out
 * @param accountPeriod       the time in which an account's failures are forgiven again, evenly
 * @param trustedAddressTtl   how long an address the account signed in from stays exempt from the account limit
 * @param maxTracked          at most this many addresses, accounts and trusted pairs are remembered (each map);
 *                            the least recently used are dropped first
 */
@Validated
@ConfigurationProperties("mailgate.security.sign-in")
public record SignInProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") @Min(1) @Max(1000) int addressMaxFailures,
        @DefaultValue("5m") @NotNull Duration addressPeriod,
        @DefaultValue("30") @Min(1) @Max(10000) int accountMaxFailures,
        @DefaultValue("15m") @NotNull Duration accountPeriod,
        @DefaultValue("30d") @NotNull Duration trustedAddressTtl,
        @DefaultValue("100000") @Min(100) int maxTracked) {

    public SignInProperties {
        requirePositive(addressPeriod, "addressPeriod");
        requirePositive(accountPeriod, "accountPeriod");
        requirePositive(trustedAddressTtl, "trustedAddressTtl");
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("mailgate.security.sign-in." + name + " must be longer than zero");
        }
    }
}

package io.mailgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic on a clock the test moves: when a try comes back, and whom each limit binds. */
class SignInThrottleUnitTest {

    private final AtomicLong nanos = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SignInThrottle throttle = new SignInThrottle(
            new SignInProperties(
                    true, 10, Duration.ofMinutes(5), 30, Duration.ofMinutes(15), Duration.ofDays(30), 1000),
            meters,
            clock);

    private void pass(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void anAddressGetsOneMoreTryEveryThirtySecondsOnceTenAreSpent() {
        for (int i = 0; i < 10; i++) {
            assertThat(throttle.check("10.0.0.1", "user" + i)).isEmpty();
            throttle.failed("10.0.0.1", "user" + i);
        }
        var refusal = throttle.check("10.0.0.1", "admin").orElseThrow();
        assertThat(refusal.scope()).isEqualTo(SignInThrottle.Scope.ADDRESS);
        assertThat(refusal.retryAfterSeconds()).isEqualTo(30);
        assertThat(throttle.check("10.0.0.2", "admin")).isEmpty();

        pass(Duration.ofSeconds(20));
        assertThat(throttle.check("10.0.0.1", "admin").orElseThrow().retryAfterSeconds())
                .isEqualTo(10);
        pass(Duration.ofSeconds(10));
        assertThat(throttle.check("10.0.0.1", "admin")).isEmpty();
        throttle.failed("10.0.0.1", "admin");
        assertThat(throttle.check("10.0.0.1", "admin").orElseThrow().retryAfterSeconds())
                .isEqualTo(30);

        assertThat(meters.get("mailgate.signin.failures").counter().count()).isEqualTo(11);
        assertThat(meters.get("mailgate.signin.throttled")
                        .tag("scope", "address")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void theAccountLimitSparesTheAddressesTheAccountSignedInFrom() {
        throttle.succeeded("10.0.0.100", "admin");
        for (int i = 0; i < 30; i++) {
            String address = "10.1.0." + (i % 5);
            assertThat(throttle.check(address, "admin")).isEmpty();
            throttle.failed(address, i % 2 == 0 ? "admin" : "ADMIN ");
        }
        var refusal = throttle.check("10.2.0.1", "Admin").orElseThrow();
        assertThat(refusal.scope()).isEqualTo(SignInThrottle.Scope.ACCOUNT);
        assertThat(refusal.retryAfterSeconds()).isEqualTo(30);
        assertThat(throttle.check("10.0.0.100", "admin")).isEmpty();
        assertThat(throttle.check("10.2.0.1", "someone-else")).isEmpty();
        // failures from the admin's own address do not count against the account either
        pass(Duration.ofSeconds(30));
        throttle.failed("10.0.0.100", "admin");
        assertThat(throttle.check("10.2.0.1", "admin")).isEmpty();
    }

    @Test
    void offMeansNeverRefusedButStillCounted() {
        SignInThrottle off = new SignInThrottle(
                new SignInProperties(
                        false, 1, Duration.ofMinutes(5), 1, Duration.ofMinutes(15), Duration.ofDays(30), 1000),
                meters,
                clock);
        off.failed("10.0.0.1", "admin");
        off.failed("10.0.0.1", "admin");
        assertThat(off.check("10.0.0.1", "admin")).isEmpty();
        assertThat(meters.get("mailgate.signin.failures").counter().count()).isEqualTo(2);
    }

    @Test
    void userNamesInTheLogCannotForgeLines() {
        assertThat(SignInThrottle.printable("admin\nsignin=OK \"x\"")).isEqualTo("\"admin?signin=OK ?x?\"");
    }
}

package io.mailgate.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Failed password sign-ins, per client address and per account, as token buckets (bucket4j): each failure takes
 * a token, tokens come back evenly over the period, and with none left the next sign-in is refused before the
 * password is even checked — with the time until the next try.
 * <p>
 * The address limit is the strict one: whoever guesses from one address is slowed down there, and only there.
 * The account limit is lenient and does not apply to an address the account signed in from lately, so someone
 * guessing the admin's password from many addresses slows down the guessing, not the admin at their desk.
 * <p>
 * Memory is bounded: each map keeps at most {@code maxTracked} entries, and a bucket left alone for its period
 * is full again, so it is dropped then (nothing is lost by forgetting it).
 */
@Component
class SignInThrottle {

    /** Whose limit refused a sign-in. */
    public enum Scope {
        ADDRESS,
        ACCOUNT
    }

    /** A refused sign-in: which limit, and how long until the next try is allowed. */
    public record Refusal(Scope scope, Duration retryAfter) {

        /** Whole seconds, at least 1, for {@code Retry-After}. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private static final Logger emailLog = LoggerFactory.getLogger("mailgate.email");

    private final SignInProperties properties;
    private final TimeMeter clock;
    private final Cache<String, Bucket> addresses;
    private final Cache<String, Bucket> accounts;
    private final Cache<String, Boolean> trusted;
    private final Counter failures;
    private final Counter throttledByAddress;
    private final Counter throttledByAccount;

    @Autowired
    public SignInThrottle(SignInProperties properties, MeterRegistry meters) {
        this(properties, meters, TimeMeter.SYSTEM_MILLISECONDS);
    }

    SignInThrottle(SignInProperties properties, MeterRegistry meters, TimeMeter clock) {
        this.properties = properties;
        this.clock = clock;
        this.addresses = Caffeine.newBuilder()
                .maximumSize(properties.maxTracked())
                .expireAfterAccess(properties.addressPeriod())
                .build();
        this.accounts = Caffeine.newBuilder()
                .maximumSize(properties.maxTracked())
                .expireAfterAccess(properties.accountPeriod())
                .build();
        this.trusted = Caffeine.newBuilder()
                .maximumSize(properties.maxTracked())
                .expireAfterWrite(properties.trustedAddressTtl())
                .build();
        this.failures = Counter.builder("mailgate.signin.failures")
                .description("Failed sign-ins with a password (HTTP Basic or the sign-in page)")
                .register(meters);
        this.throttledByAddress = throttled(meters, Scope.ADDRESS);
        this.throttledByAccount = throttled(meters, Scope.ACCOUNT);
    }

    private static Counter throttled(MeterRegistry meters, Scope scope) {
        return Counter.builder("mailgate.signin.throttled")
                .description("Sign-ins refused before checking the password, after too many failures")
                .tag("scope", scope.name().toLowerCase(Locale.ROOT))
                .register(meters);
    }

    /** Before checking a password: empty when the sign-in may go ahead. */
    public Optional<Refusal> check(String address, String account) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        Optional<Refusal> refusal = exhausted(addresses.getIfPresent(address), Scope.ADDRESS);
        if (refusal.isEmpty() && !isTrusted(account, address)) {
            refusal = exhausted(accounts.getIfPresent(accountKey(account)), Scope.ACCOUNT);
        }
        refusal.ifPresent(r -> {
            (r.scope() == Scope.ADDRESS ? throttledByAddress : throttledByAccount).increment();
            emailLog.warn(
                    "signin=THROTTLED scope={} account={} address={} retryAfterSeconds={}",
                    r.scope(),
                    printable(account),
                    address,
                    r.retryAfterSeconds());
        });
        return refusal;
    }

    /** A wrong user name or password (never logged) from that address. */
    public void failed(String address, String account) {
        failures.increment();
        Bucket byAddress =
                addresses.get(address, a -> bucket(properties.addressMaxFailures(), properties.addressPeriod()));
        byAddress.tryConsume(1);
        if (!isTrusted(account, address)) {
            accounts.get(accountKey(account), a -> bucket(properties.accountMaxFailures(), properties.accountPeriod()))
                    .tryConsume(1);
        }
        emailLog.warn(
                "signin=FAILED account={} address={} triesLeftFromAddress={}",
                printable(account),
                address,
                byAddress.getAvailableTokens());
    }

    /** The account signed in from that address: the address is exempt from the account's limit from now on. */
    public void succeeded(String address, String account) {
        trusted.put(trustKey(account, address), Boolean.TRUE);
    }

    private Optional<Refusal> exhausted(Bucket bucket, Scope scope) {
        if (bucket == null || bucket.getAvailableTokens() >= 1) {
            return Optional.empty();
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return Optional.of(new Refusal(scope, Duration.ofNanos(Math.max(nanos, 1))));
    }

    private Bucket bucket(int failures, Duration period) {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(failures).refillGreedy(failures, period))
                .withCustomTimePrecision(clock)
                .build();
    }

    private boolean isTrusted(String account, String address) {
        return trusted.getIfPresent(trustKey(account, address)) != null;
    }

    private static String trustKey(String account, String address) {
        return accountKey(account) + '\n' + address;
    }

    /** User names are compared without case, so "Admin" and "admin" share one limit. */
    private static String accountKey(String account) {
        String key = account == null ? "" : account.trim().toLowerCase(Locale.ROOT);
        return key.length() > 200 ? key.substring(0, 200) : key;
    }

    /** A user name as typed by anyone: no line breaks or control characters in the log, and not too long. */
    static String printable(String account) {
        if (account == null) {
            return "\"\"";
        }
        String shortened = account.length() > 100 ? account.substring(0, 100) + "…" : account;
        return '"' + shortened.replaceAll("[\\p{Cntrl}\"\\\\]", "?") + '"';
    }
}

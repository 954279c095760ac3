package io.mailgate.decrypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChainVerdictsTest {

    private final AtomicLong now = new AtomicLong(Instant.now().toEpochMilli());
    private final ChainVerdicts verdicts = new ChainVerdicts(now::get);
    private final AtomicInteger builds = new AtomicInteger();

    @Test
    void buildsOncePerSignerIntermediatesAndTrustedCertificatesUntilTheVerdictExpires() throws Exception {
        TestPki.Chain chain = TestPki.chain(Instant.now().plus(Duration.ofDays(30)));
        List<X509Certificate> intermediates = List.of(chain.intermediate());

        assertThat(check(chain.leaf(), intermediates, List.of(chain.root()), true))
                .isTrue();
        assertThat(check(chain.leaf(), List.of(chain.intermediate()), List.of(chain.root()), false))
                .as("the same inputs, as other collections: remembered")
                .isTrue();
        assertThat(builds).hasValue(1);

        assertThat(check(chain.leaf(), List.of(), List.of(chain.root()), false))
                .as("other intermediates: built again")
                .isFalse();
        assertThat(check(chain.leaf(), intermediates, List.of(), false))
                .as("other trusted certificates: built again")
                .isFalse();
        assertThat(builds).hasValue(3);

        now.addAndGet(ChainVerdicts.TTL.toMillis() + 1);
        assertThat(check(chain.leaf(), intermediates, List.of(chain.root()), false))
                .as("after the TTL the path is built again")
                .isFalse();
        assertThat(builds).hasValue(4);
    }

    @Test
    void aVerdictIsNotKeptPastTheSignersExpiry() throws Exception {
        KeyPair key = TestPki.rsa();
        Instant notAfter = Instant.ofEpochMilli(now.get()).plus(Duration.ofMinutes(1));
        X509Certificate signer = TestPki.certificate(
                "CN=Soon expired",
                key.getPublic(),
                "CN=Soon expired",
                key.getPrivate(),
                false,
                Instant.ofEpochMilli(now.get()).minus(Duration.ofDays(1)),
                notAfter);

        assertThat(check(signer, List.of(), List.of(), true)).isTrue();
        now.set(notAfter.toEpochMilli() + 1); // well within the TTL, but the certificate has expired
        assertThat(check(signer, List.of(), List.of(), false)).isFalse();
        assertThat(builds).hasValue(2);
    }

    private boolean check(
            X509Certificate signer, List<X509Certificate> intermediates, List<X509Certificate> trusted, boolean built) {
        return verdicts.isTrusted(signer, intermediates, trusted, () -> {
            builds.incrementAndGet();
            return built;
        });
    }
}

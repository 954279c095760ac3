package io.mailgate.connectiontest;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.tls.CertificateDiagnosis;
import io.mailgate.tls.CertificateDiagnosis.Problem;
import io.mailgate.tls.HostnameMatcher;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host name rules and the diagnosis order that the connection test's messages rely on. */
class CertificateChecksTest {

    private static X509Certificate withNames(String... names) {
        return TestCertificates.selfSigned("cn.example.org", List.of(names)).certificate();
    }

    @Test
    void exactNamesMatchWhateverTheCaseAndATrailingDot() {
        X509Certificate c = withNames("imap.example.com");

        assertThat(HostnameMatcher.matches(c, "IMAP.Example.com")).isTrue();
        assertThat(HostnameMatcher.matches(c, "imap.example.com.")).isTrue();
        assertThat(HostnameMatcher.matches(c, "mail.example.com")).isFalse();
    }

    @Test
    void aWildcardCoversExactlyOneLeftMostLabel() {
        X509Certificate c = withNames("*.example.com");

        assertThat(HostnameMatcher.matches(c, "imap.example.com")).isTrue();
        assertThat(HostnameMatcher.matches(c, "a.imap.example.com")).isFalse();
        assertThat(HostnameMatcher.matches(c, "example.com")).isFalse();
        assertThat(HostnameMatcher.matches(c, "imapexample.com")).isFalse();
    }

    @Test
    void aWildcardForAWholeTopLevelDomainOrNotLeftMostMatchesNothing() {
        assertThat(HostnameMatcher.matches(withNames("*.com"), "example.com")).isFalse();
        assertThat(HostnameMatcher.matches(withNames("imap.*.com"), "imap.example.com"))
                .isFalse();
        assertThat(HostnameMatcher.matches(withNames("*.*.example.com"), "a.b.example.com"))
                .isFalse();
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsNames() {
        X509Certificate onlyCn =
                TestCertificates.selfSigned("imap.example.com", List.of()).certificate();
        X509Certificate cnAndSan = TestCertificates.selfSigned("imap.example.com", List.of("mail.example.com"))
                .certificate();

        assertThat(HostnameMatcher.matches(onlyCn, "imap.example.com")).isTrue();
        assertThat(HostnameMatcher.matches(cnAndSan, "imap.example.com")).isFalse();
        assertThat(HostnameMatcher.matches(cnAndSan, "mail.example.com")).isTrue();
    }

    @Test
    void ipAddressesMatchOnlyIpAddressNames() {
        X509Certificate c = withNames("10.0.0.5", "::1", "imap.example.com");
        X509Certificate dnsLooksLikeIp =
                TestCertificates.selfSigned("10.0.0.5", List.of()).certificate();

        assertThat(HostnameMatcher.matches(c, "10.0.0.5")).isTrue();
        assertThat(HostnameMatcher.matches(c, "[0:0:0:0:0:0:0:1]")).isTrue();
        assertThat(HostnameMatcher.matches(c, "10.0.0.6")).isFalse();
        assertThat(HostnameMatcher.matches(dnsLooksLikeIp, "10.0.0.5")).isFalse();
    }

    @Test
    void expiryIsDiagnosedBeforeTheHostNameAndTrustLast() {
        Instant now = Instant.now();
        TestCertificates.Issued expiredElsewhere = TestCertificates.selfSigned(
                "other.example",
                List.of("other.example"),
                now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)));
        TestCertificates.Issued future = TestCertificates.selfSigned(
                "imap.example.com",
                List.of("imap.example.com"),
                now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(10)));
        TestCertificates.Issued elsewhere = TestCertificates.selfSigned("other.example", List.of("other.example"));
        TestCertificates.Issued authority = TestCertificates.authority("Some CA");
        TestCertificates.Issued issued =
                TestCertificates.issuedBy(authority, "imap.example.com", List.of("imap.example.com"));

        assertThat(CertificateDiagnosis.validityOrHostname(expiredElsewhere.chain(), "imap.example.com", now))
                .get()
                .extracting(CertificateDiagnosis::problem)
                .isEqualTo(Problem.EXPIRED);
        assertThat(CertificateDiagnosis.validityOrHostname(future.chain(), "imap.example.com", now))
                .get()
                .extracting(CertificateDiagnosis::problem)
                .isEqualTo(Problem.NOT_YET_VALID);
        assertThat(CertificateDiagnosis.validityOrHostname(elsewhere.chain(), "imap.example.com", now))
                .get()
                .extracting(CertificateDiagnosis::problem)
                .isEqualTo(Problem.HOSTNAME_MISMATCH);
        assertThat(CertificateDiagnosis.validityOrHostname(issued.chain(), "imap.example.com", now))
                .isEmpty();
        assertThat(CertificateDiagnosis.untrusted(elsewhere.chain()).problem()).isEqualTo(Problem.SELF_SIGNED);
        CertificateDiagnosis unknownIssuer = CertificateDiagnosis.untrusted(issued.chain());
        assertThat(unknownIssuer.problem()).isEqualTo(Problem.UNKNOWN_ISSUER);
        assertThat(unknownIssuer.certificate()).isEqualTo(authority.certificate());
    }
}

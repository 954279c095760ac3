package io.mailgate.tls;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Why a server's certificate chain was refused, in the terms an admin acts on. The checks run in the order
 * that tells the admin what to fix first: an expired certificate must be renewed whatever else is wrong; a
 * certificate for another host name cannot be fixed by trusting it; only what is left is a matter of trust.
 *
 * @param certificate the certificate the problem is about (the server's own one, or one of its issuers)
 */
public record CertificateDiagnosis(Problem problem, X509Certificate certificate) {

    public enum Problem {
        EXPIRED,
        NOT_YET_VALID,
        HOSTNAME_MISMATCH,
        SELF_SIGNED,
        UNKNOWN_ISSUER
    }

    /**
     * Validity and host name problems of a presented chain, which trusting the certificate does not cure.
     *
     * @param chain the chain as the server presented it, its own certificate first
     */
    public static Optional<CertificateDiagnosis> validityOrHostname(
            List<X509Certificate> chain, String host, Instant now) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        Date at = Date.from(now);
        for (X509Certificate certificate : chain) {
            if (at.after(certificate.getNotAfter())) {
                return Optional.of(new CertificateDiagnosis(Problem.EXPIRED, certificate));
            }
            if (at.before(certificate.getNotBefore())) {
                return Optional.of(new CertificateDiagnosis(Problem.NOT_YET_VALID, certificate));
            }
        }
        X509Certificate server = chain.get(0);
        if (!HostnameMatcher.matches(server, host)) {
            return Optional.of(new CertificateDiagnosis(Problem.HOSTNAME_MISMATCH, server));
        }
        return Optional.empty();
    }

    /** Why a chain with no validity or host name problem is still not trusted. */
    public static CertificateDiagnosis untrusted(List<X509Certificate> chain) {
        X509Certificate server = chain.get(0);
        X509Certificate top = chain.get(chain.size() - 1);
        return isSelfSigned(server)
                ? new CertificateDiagnosis(Problem.SELF_SIGNED, server)
                : new CertificateDiagnosis(Problem.UNKNOWN_ISSUER, isSelfSigned(top) ? top : server);
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}

package io.mailgate.connection;

import java.time.Instant;

public record TrustedCertificateView(
        String sha256, String subject, String issuer, Instant notAfter, String pem, Instant createdAt) {

    public static TrustedCertificateView of(TrustedCertificateEntity t) {
        return new TrustedCertificateView(
                t.getSha256(), t.getSubject(), t.getIssuer(), t.getNotAfter(), t.getPem(), t.getCreatedAt());
    }
}

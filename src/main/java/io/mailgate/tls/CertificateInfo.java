package io.mailgate.tls;

import java.time.Instant;

/** What an admin needs to decide whether to trust a certificate. */
public record CertificateInfo(
        String subject, String issuer, String sha256, Instant notBefore, Instant notAfter, String pem) {}

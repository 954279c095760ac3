package io.mailgate.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Reading and describing X.509 certificates that admins upload or servers present. */
public final class Certificates {

    private Certificates() {}

    /**
     * Parses one or more certificates from PEM text or DER bytes.
     *
     * @throws IllegalArgumentException with a message an admin can act on
     */
    public static List<X509Certificate> parse(byte[] pemOrDer) {
        if (pemOrDer == null || pemOrDer.length == 0) {
            throw new IllegalArgumentException("The certificate is empty.");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            // CertificateFactory reads PEM and DER alike; a PEM bundle yields every certificate in it.
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : factory.generateCertificates(new ByteArrayInputStream(pemOrDer))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("No certificate was found; upload a PEM or DER X.509 certificate.");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("Not an X.509 certificate in PEM or DER form.");
        }
    }

    public static X509Certificate parseOne(byte[] pemOrDer) {
        List<X509Certificate> all = parse(pemOrDer);
        if (all.size() != 1) {
            throw new IllegalArgumentException("Expected one certificate but found " + all.size() + ".");
        }
        return all.get(0);
    }

    /** SHA-256 fingerprint as upper-case hex pairs separated by colons, the form browsers and openssl show. */
    public static String sha256(X509Certificate certificate) {
        return colonPairs(HexFormat.of().withUpperCase().formatHex(digest(encoded(certificate))));
    }

    /** Accepts a fingerprint with or without colons, in any case, and returns the canonical form. */
    public static String normalizeFingerprint(String fingerprint) {
        String hex = fingerprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("A SHA-256 fingerprint is 64 hexadecimal digits.");
        }
        return colonPairs(hex);
    }

    private static String colonPairs(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }

    public static String toPem(X509Certificate certificate) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(encoded(certificate));
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    public static CertificateInfo describe(X509Certificate certificate) {
        return new CertificateInfo(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                sha256(certificate),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                toPem(certificate));
    }

    public static List<CertificateInfo> describe(List<X509Certificate> chain) {
        return chain.stream().map(Certificates::describe).toList();
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("The certificate cannot be encoded.", e);
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}

package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.INCOMPLETE_CHAIN;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Pairs a private key with its certificate and walks the certificate up to a self-signed root. */
final class CertificateChains {

    /** Real chains are 2-4 long; the cap only stops a file that loops. */
    private static final int MAX_LENGTH = 10;

    private static final byte[] PROBE = "mailgate key/certificate pairing probe".getBytes();

    private CertificateChains() {}

    /**
     * Proves the pairing by signing with the private key and verifying with the certificate's public
     * key: one check that works the same for RSA, EC and EdDSA, without per-algorithm maths.
     */
    static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null || !sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        try {
            Signature signer = Signature.getInstance(algorithm, Bc.PROVIDER);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm, Bc.PROVIDER);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        return switch (keyAlgorithm.toUpperCase()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            case "ED448" -> "Ed448";
            default -> null;
        };
    }

    private static boolean sameFamily(String a, String b) {
        return family(a).equals(family(b));
    }

    private static String family(String algorithm) {
        String upper = algorithm.toUpperCase();
        return upper.equals("ECDSA") ? "EC" : upper.equals("EDDSA") ? "ED25519" : upper;
    }

    /**
     * @return the certificate, then its issuer, and so on, ending with a self-signed certificate
     * @throws DecryptionKeyException INCOMPLETE_CHAIN naming the first missing issuer
     */
    static List<X509Certificate> chain(X509Certificate leaf, Collection<X509Certificate> pool)
            throws DecryptionKeyException {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = leaf;
        chain.add(current);
        while (!isSelfSigned(current)) {
            X509Certificate issuer = issuerOf(current, pool);
            if (issuer == null) {
                throw new DecryptionKeyException(
                        INCOMPLETE_CHAIN,
                        "The certificate chain is incomplete: the"
                                + " certificate of \""
                                + current.getIssuerX500Principal().getName() + "\", issuer of \""
                                + current.getSubjectX500Principal().getName() + "\", is not in the file. Export the"
                                + " key with every CA certificate up to the root.");
            }
            if (chain.contains(issuer) || chain.size() >= MAX_LENGTH) {
                throw new DecryptionKeyException(
                        INCOMPLETE_CHAIN,
                        "The certificate chain loops or is longer than " + MAX_LENGTH + " and never reaches a root.");
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    static boolean isSelfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                && signedBy(certificate, certificate);
    }

    private static X509Certificate issuerOf(X509Certificate certificate, Collection<X509Certificate> pool) {
        for (X509Certificate candidate : pool) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && signedBy(certificate, candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

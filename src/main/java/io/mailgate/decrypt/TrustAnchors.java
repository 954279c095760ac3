package io.mailgate.decrypt;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Decides whether a signer certificate chains to the JVM trust store or to certificates the caller trusts. */
final class TrustAnchors {

    /** Verdicts of built paths, remembered for minutes: see {@link ChainVerdicts}. */
    private static final ChainVerdicts VERDICTS = new ChainVerdicts(System::currentTimeMillis);

    private TrustAnchors() {}

    /** Loaded once: the JVM trust store does not change while the application runs. */
    private static final class JvmTrustStore {
        static final List<X509Certificate> CERTIFICATES = load();

        private static List<X509Certificate> load() {
            try {
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init((KeyStore) null);
                for (TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        return List.of(x509.getAcceptedIssuers());
                    }
                }
            } catch (GeneralSecurityException e) {
                // No usable trust store: only the caller's certificates count.
            }
            return List.of();
        }
    }

    /**
     * @param intermediates certificates that came with the signature, to build the path from
     * @param trusted       the caller's trusted certificates (roots or the signer itself)
     */
    static boolean isTrusted(
            X509Certificate signer, Collection<X509Certificate> intermediates, Collection<X509Certificate> trusted) {
        if (trusted.contains(signer) || JvmTrustStore.CERTIFICATES.contains(signer)) {
            return true;
        }
        return VERDICTS.isTrusted(signer, intermediates, trusted, () -> buildsPath(signer, intermediates, trusted));
    }

    private static boolean buildsPath(
            X509Certificate signer, Collection<X509Certificate> intermediates, Collection<X509Certificate> trusted) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate certificate : trusted) {
            anchors.add(new TrustAnchor(certificate, null));
        }
        for (X509Certificate certificate : JvmTrustStore.CERTIFICATES) {
            anchors.add(new TrustAnchor(certificate, null));
        }
        if (anchors.isEmpty()) {
            return false;
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(signer);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            // Mail is ingested offline from the sender's point of view, and revocation lookups would
            // mean network calls per message; trust here is a hint for analysts, not an access decision.
            parameters.setRevocationEnabled(false);
            parameters.setDate(new Date());
            parameters.addCertStore(
                    CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

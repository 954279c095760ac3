package io.mailgate.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the SSLContext of one connection: the JVM's trusted authorities plus the certificates an admin
 * trusted for that connection only. The JVM's own trust store is never changed, so trusting a certificate
 * for one connection does not make any other connection trust it. Host names are verified by the caller
 * (Jakarta Mail's checkserveridentity, HTTPS endpoint identification), also for trusted certificates.
 */
public final class TrustMaterial {

    private static final List<X509Certificate> JVM_AUTHORITIES = loadJvmAuthorities();

    private TrustMaterial() {}

    public static SSLContext sslContext(Collection<X509Certificate> trustedForConnection) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(trustedForConnection)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create a TLS context", e);
        }
    }

    public static X509TrustManager trustManager(Collection<X509Certificate> trustedForConnection) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate authority : JVM_AUTHORITIES) {
                anchors.setCertificateEntry("jvm-" + i++, authority);
            }
            for (X509Certificate trusted : trustedForConnection) {
                anchors.setCertificateEntry("connection-" + i++, trusted);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .map(X509TrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No X509 trust manager"));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the trust store of a connection", e);
        }
    }

    private static List<X509Certificate> loadJvmAuthorities() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .flatMap(tm -> Arrays.stream(((X509TrustManager) tm).getAcceptedIssuers()))
                    .toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the JVM's trusted authorities", e);
        }
    }
}

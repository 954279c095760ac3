package io.mailgate.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A connection's trust manager ({@link TrustMaterial#trustManager}) that remembers the chain the server
 * presented and whether it was refused. A refused handshake only yields an exception; this is how a failed
 * connection test can still show the admin the certificates to decide on. It decides nothing itself: every
 * check, host name verification included, is the delegate's. One instance serves one test, never a route.
 */
public final class CapturingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;
    private volatile List<X509Certificate> presented = List.of();
    private volatile String authType;
    private volatile CertificateException refusal;

    public CapturingTrustManager(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    /** JVM authorities plus the certificates trusted for this one connection. */
    public static CapturingTrustManager forConnection(Collection<X509Certificate> trustedForConnection) {
        return new CapturingTrustManager(TrustMaterial.trustManager(trustedForConnection));
    }

    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {this}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create a TLS context", e);
        }
    }

    /** The chain of the last handshake, the server's own certificate first; empty before any handshake. */
    public List<X509Certificate> presentedChain() {
        return presented;
    }

    /** Whether the last presented chain was refused (untrusted, expired, or for another host name). */
    public boolean refused() {
        return refusal != null;
    }

    /**
     * Whether the presented chain leads to a trusted certificate, ignoring the host name. Lets a message say
     * "and it is not trusted either" about a certificate for another host.
     */
    public boolean chainTrusted() {
        List<X509Certificate> chain = presented;
        if (chain.isEmpty()) {
            return false;
        }
        try {
            delegate.checkServerTrusted(chain.toArray(X509Certificate[]::new), authType == null ? "UNKNOWN" : authType);
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        record(chain, authType);
        check(() -> {
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, socket);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        record(chain, authType);
        check(() -> {
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, engine);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        record(chain, authType);
        check(() -> delegate.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("A connection test is never a TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("A connection test is never a TLS server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("A connection test is never a TLS server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private void record(X509Certificate[] chain, String authType) {
        this.presented = chain == null ? List.of() : List.of(chain);
        this.authType = authType;
        this.refusal = null;
    }

    private void check(Check check) throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            refusal = e;
            throw e;
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws CertificateException;
    }
}

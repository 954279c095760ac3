package io.mailgate.connectiontest;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made on the spot, so every test has exactly the server certificate it is about. */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its private key and the chain a server presents with it. */
    public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> chain) {

        SSLContext serverContext() {
            try {
                char[] password = "test".toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", keys.getPrivate(), password, chain.toArray(X509Certificate[]::new));
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, password);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(factory.getKeyManagers(), null, null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestCertificates() {}

    public static Issued selfSigned(String commonName, List<String> names) {
        Instant now = Instant.now();
        return selfSigned(commonName, names, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    static Issued selfSigned(String commonName, List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair keys = keys();
        X509Certificate certificate =
                build(commonName, names, keys, "CN=" + commonName, keys, notBefore, notAfter, false);
        return new Issued(certificate, keys, List.of(certificate));
    }

    static Issued authority(String commonName) {
        Instant now = Instant.now();
        return authority(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)));
    }

    static Issued authority(String commonName, Instant notBefore, Instant notAfter) {
        KeyPair keys = keys();
        X509Certificate certificate =
                build(commonName, List.of(), keys, "CN=" + commonName, keys, notBefore, notAfter, true);
        return new Issued(certificate, keys, List.of(certificate));
    }

    static Issued issuedBy(
            Issued authority, String commonName, List<String> names, Instant notBefore, Instant notAfter) {
        KeyPair keys = keys();
        String issuer = authority.certificate().getSubjectX500Principal().getName();
        X509Certificate certificate =
                build(commonName, names, keys, issuer, authority.keys(), notBefore, notAfter, false);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate);
        chain.addAll(authority.chain());
        return new Issued(certificate, keys, chain);
    }

    static Issued issuedBy(Issued authority, String commonName, List<String> names) {
        Instant now = Instant.now();
        return issuedBy(authority, commonName, names, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    private static X509Certificate build(
            String subjectCn,
            List<String> names,
            KeyPair subjectKeys,
            String issuerDn,
            KeyPair issuerKeys,
            Instant notBefore,
            Instant notAfter,
            boolean ca) {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Principal(issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    new X500Principal("CN=" + subjectCn),
                    subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            }
            if (!names.isEmpty()) {
                GeneralName[] alternatives = names.stream()
                        .map(n -> n.matches("[0-9.]+") || n.contains(":")
                                ? new GeneralName(GeneralName.iPAddress, n)
                                : new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(
                            new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

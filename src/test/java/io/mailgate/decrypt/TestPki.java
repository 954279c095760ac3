package io.mailgate.decrypt;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/** Keys, certificates and PKCS#12 files of any shape, built in the tests with BouncyCastle. */
final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private TestPki() {}

    static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A certificate valid from a day ago for a year. */
    static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        return certificate(
                subject, key, issuer, issuerKey, ca, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    static X509Certificate certificate(
            String subject,
            PublicKey key,
            String issuer,
            PrivateKey issuerKey,
            boolean ca,
            Instant notBefore,
            Instant notAfter)
            throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore),
                Date.from(notAfter),
                new X500Name(subject),
                key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(
                        ca
                                ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                                : KeyUsage.keyEncipherment | KeyUsage.keyAgreement | KeyUsage.digitalSignature));
        String algorithm = issuerKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey)));
    }

    /** A root, an intermediate and an end-entity certificate, like a real CA hands out. */
    record Chain(KeyPair key, X509Certificate leaf, X509Certificate intermediate, X509Certificate root) {
        List<X509Certificate> all() {
            return List.of(leaf, intermediate, root);
        }
    }

    static Chain chain(Instant leafNotAfter) throws Exception {
        KeyPair rootKey = rsa();
        KeyPair intermediateKey = rsa();
        KeyPair leafKey = rsa();
        X509Certificate root =
                certificate("CN=Test Root", rootKey.getPublic(), "CN=Test Root", rootKey.getPrivate(), true);
        X509Certificate intermediate = certificate(
                "CN=Test Intermediate", intermediateKey.getPublic(), "CN=Test Root", rootKey.getPrivate(), true);
        X509Certificate leaf = certificate(
                "CN=soc,E=soc@example.com",
                leafKey.getPublic(),
                "CN=Test Intermediate",
                intermediateKey.getPrivate(),
                false,
                Instant.now().minus(Duration.ofDays(400)),
                leafNotAfter);
        return new Chain(leafKey, leaf, intermediate, root);
    }

    static Chain chain() throws Exception {
        return chain(Instant.now().plus(Duration.ofDays(365)));
    }

    /** A PKCS#12 with exactly these keys and certificates, each key in a shrouded bag. */
    static byte[] pkcs12(char[] password, List<PrivateKey> keys, List<X509Certificate> certificates) throws Exception {
        OutputEncryptor encryptor = new JcePKCSPBEOutputEncryptorBuilder(
                        PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .build(password);
        PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
        PKCS12SafeBag[] certificateBags = new PKCS12SafeBag[certificates.size()];
        for (int i = 0; i < certificates.size(); i++) {
            certificateBags[i] = new JcaPKCS12SafeBagBuilder(certificates.get(i)).build();
        }
        if (certificateBags.length > 0) {
            pfx.addEncryptedData(encryptor, certificateBags);
        }
        for (PrivateKey key : keys) {
            pfx.addData(new JcaPKCS12SafeBagBuilder(key, encryptor).build());
        }
        return pfx.build(new BcPKCS12MacCalculatorBuilder(), password).getEncoded();
    }
}

package io.mailgate.oauth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** How the confidential client proves itself to Entra ID: a client secret or a certificate. */
public sealed interface ClientCredential {

    /** A client secret (the secret's value, not its id). */
    record ClientSecret(String secret) implements ClientCredential {
        public ClientSecret {
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("clientSecret must not be blank");
            }
        }

        @Override
        public String toString() {
            return "ClientSecret[secret=***]";
        }
    }

    /**
     * A certificate registered on the app and its private key; Entra gets a client assertion (a JWT
     * signed with the key, naming the certificate by its SHA-256 thumbprint).
     */
    record ClientCertificate(X509Certificate certificate, PrivateKey privateKey) implements ClientCredential {
        public ClientCertificate {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
            if (!"RSA".equals(privateKey.getAlgorithm())) {
                throw new IllegalArgumentException(
                        "the certificate's key must be RSA (Entra ID signs assertions with RS256)");
            }
        }

        @Override
        public String toString() {
            return "ClientCertificate[subject="
                    + certificate.getSubjectX500Principal().getName() + ", notAfter="
                    + certificate.getNotAfter().toInstant() + ", privateKey=***]";
        }
    }

    static ClientSecret secret(String secret) {
        return new ClientSecret(secret);
    }

    /**
     * A certificate and key from PEM text: a CERTIFICATE block and a private key block (PKCS#8,
     * encrypted PKCS#8 with {@code password}, or PKCS#1 "RSA PRIVATE KEY").
     */
    static ClientCertificate fromPem(String pem, char[] password) {
        X509Certificate certificate = null;
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder && certificate == null) {
                    certificate = new JcaX509CertificateConverter().getCertificate(holder);
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info);
                } else if (o instanceof PEMKeyPair pair) {
                    key = keys.getKeyPair(pair).getPrivate();
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    if (password == null) {
                        throw new IllegalArgumentException("the private key is encrypted: a password is needed");
                    }
                    key = keys.getPrivateKey(encrypted.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password)));
                }
            }
        } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("certificate PEM cannot be read: " + e.getMessage(), e);
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("the PEM must hold a CERTIFICATE and its PRIVATE KEY");
        }
        return new ClientCertificate(certificate, key);
    }

    /** A certificate and key from a PKCS#12 (.pfx/.p12) file: the first entry that has a key. */
    static ClientCertificate fromPkcs12(byte[] pkcs12, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Certificate cert = store.getCertificate(alias);
                    PrivateKey key = (PrivateKey) store.getKey(alias, password);
                    if (cert instanceof X509Certificate x509 && key != null) {
                        return new ClientCertificate(x509, key);
                    }
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("PKCS#12 cannot be read (wrong password?): " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the PKCS#12 holds no certificate with a private key");
    }
}

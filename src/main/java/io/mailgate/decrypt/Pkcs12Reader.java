package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PKCS12;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.WRONG_PASSWORD;

import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagFactory;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;

/**
 * Opens a PKCS#12 file bag by bag rather than through {@code KeyStore}: a KeyStore pairs keys and
 * certificates by their localKeyId attribute and silently drops certificates it cannot place, so it
 * could not tell "no certificate", "wrong certificate" and "missing CA" apart.
 */
final class Pkcs12Reader {

    private Pkcs12Reader() {}

    static Pkcs12Contents read(byte[] file, char[] password) throws DecryptionKeyException {
        PKCS12PfxPdu pfx = parse(file);
        boolean macChecked = checkMac(pfx, password);
        InputDecryptorProvider decryptor;
        try {
            decryptor = new JcePKCSPBEInputDecryptorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(password);
        } catch (RuntimeException e) {
            throw new DecryptionKeyException(NOT_PKCS12, "The PKCS#12 file cannot be read: " + e.getMessage(), e);
        }
        List<PrivateKey> keys = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (ContentInfo info : pfx.getContentInfos()) {
                PKCS12SafeBagFactory bags = PKCSObjectIdentifiers.encryptedData.equals(info.getContentType())
                        ? new PKCS12SafeBagFactory(info, decryptor)
                        : new PKCS12SafeBagFactory(info);
                for (PKCS12SafeBag bag : bags.getSafeBags()) {
                    Object value = bag.getBagValue();
                    if (value instanceof PKCS8EncryptedPrivateKeyInfo shrouded) {
                        keys.add(toPrivateKey(shrouded.decryptPrivateKeyInfo(decryptor)));
                    } else if (value instanceof PrivateKeyInfo plain) {
                        keys.add(toPrivateKey(plain));
                    } else if (value instanceof X509CertificateHolder holder) {
                        certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                    }
                }
            }
        } catch (PKCSException e) {
            // Without a MAC (openssl -nomac) a wrong password shows up only here. With a MAC that
            // matched, the password is right for the file but not for the key inside it.
            throw new DecryptionKeyException(
                    WRONG_PASSWORD,
                    macChecked
                            ? "The password opens the PKCS#12 file but not the private key inside it."
                            : "The password is wrong: the PKCS#12 file cannot be decrypted with it.",
                    e);
        } catch (CertificateException | IOException | RuntimeException e) {
            throw new DecryptionKeyException(
                    NOT_PKCS12, "The PKCS#12 file is damaged or uses an unsupported format: " + e.getMessage(), e);
        }
        return new Pkcs12Contents(keys, certificates);
    }

    private static PKCS12PfxPdu parse(byte[] file) throws DecryptionKeyException {
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(file);
            pfx.getContentInfos(); // a DER SEQUENCE that is not a PFX fails only here
            return pfx;
        } catch (IOException | RuntimeException e) {
            throw new DecryptionKeyException(
                    NOT_PKCS12,
                    "The file is not a PKCS#12 (.pfx or .p12) file. Export the certificate with its private key"
                            + " as PKCS#12; PEM or DER certificates alone cannot decrypt.",
                    e);
        }
    }

    /** @return true when a MAC was present and matched; throws when it did not match */
    private static boolean checkMac(PKCS12PfxPdu pfx, char[] password) throws DecryptionKeyException {
        if (!pfx.hasMac()) {
            return false;
        }
        boolean valid;
        try {
            valid = pfx.isMacValid(
                    new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE), password);
        } catch (PKCSException | RuntimeException e) {
            // A MAC algorithm we cannot compute (e.g. a newer PBMAC1 variant): decrypting the bags
            // below still tells a wrong password from a right one.
            return false;
        }
        if (!valid) {
            throw new DecryptionKeyException(WRONG_PASSWORD, "The password is wrong for this PKCS#12 file.");
        }
        return true;
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info) throws IOException {
        return new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPrivateKey(info);
    }
}

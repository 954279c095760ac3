package io.mailgate.decrypt;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedDataParser;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.util.Store;

/**
 * Verifies CMS signed-data, detached (multipart/signed) or opaque (the content inside). Every
 * failure becomes a status: a signature is information for the analyst, never a reason to refuse mail.
 */
final class SmimeSignatures {

    private SmimeSignatures() {}

    /** A multipart/signed: the first part's exact bytes (made canonical) against the detached signature. */
    static SignatureResult verifyDetached(Path content, byte[] signature, List<X509Certificate> trusted) {
        try (InputStream in = new CanonicalLineEndingsInputStream(
                new BufferedInputStream(Files.newInputStream(content), 64 * 1024))) {
            CMSSignedDataParser parser = new CMSSignedDataParser(DIGESTS, new CMSTypedStream(in), signature);
            parser.getSignedContent().drain();
            return verdict(parser, trusted);
        } catch (CMSException | IOException | RuntimeException e) {
            return SignatureResult.of(SignatureStatus.INVALID);
        }
    }

    /** Opaque signed-data: writes the signed content to {@code target} and verifies it on the way. */
    static SignatureResult verifyOpaque(Path der, Path target, List<X509Certificate> trusted, long limit)
            throws IOException, CMSException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(der), 64 * 1024)) {
            CMSSignedDataParser parser = new CMSSignedDataParser(DIGESTS, in);
            CMSTypedStream signed = parser.getSignedContent();
            if (signed == null) {
                throw new CMSException("signed-data without content");
            }
            try (InputStream content = signed.getContentStream();
                    OutputStream out =
                            new LimitedOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), limit)) {
                content.transferTo(out);
            }
            // The content is out; a damaged signature block after it must not lose the message.
            try {
                return verdict(parser, trusted);
            } catch (CMSException | RuntimeException e) {
                return SignatureResult.of(SignatureStatus.INVALID);
            }
        }
    }

    /**
     * Digests of the signed content: the JDK's own first (its SHA-1 and SHA-2 use the processor's SHA instructions,
     * several times faster than BouncyCastle's Java code, which was most of the cost of checking a signature), and
     * BouncyCastle's for an algorithm the JDK does not have. Built once: both make a new digest for every call.
     */
    private static final DigestCalculatorProvider DIGESTS = jdkFirstDigests();

    private static DigestCalculatorProvider jdkFirstDigests() {
        try {
            DigestCalculatorProvider jdk = new JcaDigestCalculatorProviderBuilder().build();
            DigestCalculatorProvider bc = new JcaDigestCalculatorProviderBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build();
            return algorithm -> {
                try {
                    return jdk.get(algorithm);
                } catch (OperatorCreationException notInTheJdk) {
                    return bc.get(algorithm);
                }
            };
        } catch (OperatorCreationException impossible) {
            throw new IllegalStateException("the JCA digest providers cannot be built", impossible);
        }
    }

    /** The first signer decides; mail practically always has one. */
    private static SignatureResult verdict(CMSSignedDataParser parser, List<X509Certificate> trusted)
            throws CMSException {
        Store<X509CertificateHolder> store = parser.getCertificates();
        SignerInformationStore signers = parser.getSignerInfos();
        Collection<SignerInformation> all = signers.getSigners();
        if (all.isEmpty()) {
            return SignatureResult.of(SignatureStatus.INVALID);
        }
        SignerInformation signer = all.iterator().next();
        X509Certificate certificate = signerCertificate(signer, store, trusted);
        if (certificate == null) {
            return SignatureResult.of(SignatureStatus.UNVERIFIED);
        }
        String address = CertificateNames.emailAddress(certificate);
        String subject = certificate.getSubjectX500Principal().getName();
        boolean verifies;
        try {
            verifies = signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(Bc.PROVIDER)
                    .build(certificate));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            verifies = false; // digest mismatch, or the certificate was not valid when it signed
        }
        if (!verifies) {
            return new SignatureResult(SignatureStatus.INVALID, address, subject);
        }
        boolean chains = TrustAnchors.isTrusted(certificate, certificates(store), trusted);
        return new SignatureResult(chains ? SignatureStatus.VALID : SignatureStatus.UNTRUSTED, address, subject);
    }

    @SuppressWarnings("unchecked")
    private static X509Certificate signerCertificate(
            SignerInformation signer, Store<X509CertificateHolder> store, List<X509Certificate> trusted) {
        Collection<X509CertificateHolder> matches = store.getMatches(signer.getSID());
        try {
            if (!matches.isEmpty()) {
                return new JcaX509CertificateConverter()
                        .getCertificate(matches.iterator().next());
            }
            for (X509Certificate candidate : trusted) { // a signer that leaves out its certificate
                if (signer.getSID().match(new JcaX509CertificateHolder(candidate))) {
                    return candidate;
                }
            }
        } catch (CertificateException e) {
            return null;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<X509Certificate> certificates(Store<X509CertificateHolder> store) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder holder : store.getMatches(null)) {
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                // an unreadable extra certificate only makes the path harder to build
            }
        }
        return certificates;
    }
}

package io.mailgate.decrypt;

import static io.mailgate.decrypt.UndecryptableMessageException.Reason.CORRUPT;
import static io.mailgate.decrypt.UndecryptableMessageException.Reason.NOT_FOR_OUR_KEY;
import static io.mailgate.decrypt.UndecryptableMessageException.Reason.NO_KEY;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSAuthEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientId;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.PasswordRecipientId;
import org.bouncycastle.cms.Recipient;
import org.bouncycastle.cms.RecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.RecipientInformationStore;
import org.bouncycastle.cms.jcajce.JceKeyAgreeAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;

/**
 * Decrypts CMS enveloped-data (RFC 5652) and auth-enveloped-data (RFC 5083) as a stream: the
 * recipient infos are read first, then the content is decrypted straight into a file.
 */
final class SmimeEnvelope {

    /** Which installed key decrypted the content. */
    record Decrypted(ValidatedKey key) {}

    private SmimeEnvelope() {}

    static Decrypted decrypt(Path der, Path target, List<ValidatedKey> keys, boolean authenticated, long limit)
            throws UndecryptableMessageException, IOException {
        List<String> recipients = List.of();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(der), 64 * 1024)) {
            RecipientInformationStore store = authenticated
                    ? new CMSAuthEnvelopedDataParser(in).getRecipientInfos()
                    : new CMSEnvelopedDataParser(in).getRecipientInfos();
            recipients = store.getRecipients().stream()
                    .map(r -> describe(r.getRID()))
                    .toList();
            if (keys.isEmpty()) {
                throw failure(
                        NO_KEY,
                        recipients,
                        "S/MIME message encrypted for " + recipients + ", but no S/MIME decryption key is installed.",
                        null);
            }
            for (ValidatedKey key : keys) {
                X509CertificateHolder ours = new JcaX509CertificateHolder(key.certificate());
                for (RecipientInformation recipient : store.getRecipients()) {
                    if (recipient.getRID().match(ours)) {
                        Recipient decryptor = decryptorFor(recipient, key, authenticated);
                        if (decryptor == null) {
                            continue;
                        }
                        try (InputStream content =
                                        recipient.getContentStream(decryptor).getContentStream();
                                OutputStream out = new LimitedOutputStream(
                                        new BufferedOutputStream(Files.newOutputStream(target)), limit)) {
                            content.transferTo(out);
                        }
                        return new Decrypted(key);
                    }
                }
            }
            throw failure(
                    NOT_FOR_OUR_KEY,
                    recipients,
                    "S/MIME message encrypted for " + recipients
                            + ", not for the installed key(s) "
                            + keys.stream().map(SmimeEnvelope::describe).collect(Collectors.joining(", ", "[", "]"))
                            + ".",
                    null);
        } catch (LimitedOutputStream.LimitExceededException e) {
            throw e;
        } catch (CMSException | IOException | CertificateEncodingException | RuntimeException e) {
            // BouncyCastle reports damaged ASN.1, a failed key unwrap, bad padding and a failed GCM tag
            // all through these; for a message they all mean the same: it cannot be read.
            throw failure(
                    CORRUPT,
                    recipients,
                    "S/MIME message cannot be decrypted, it is damaged or altered"
                            + (recipients.isEmpty() ? "" : " (encrypted for " + recipients + ")") + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static Recipient decryptorFor(RecipientInformation recipient, ValidatedKey key, boolean authenticated) {
        if (recipient instanceof KeyTransRecipientInformation) {
            return authenticated
                    ? new JceKeyTransAuthEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER)
                    : new JceKeyTransEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER);
        }
        if (recipient instanceof KeyAgreeRecipientInformation) {
            return authenticated
                    ? new JceKeyAgreeAuthEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER)
                    : new JceKeyAgreeEnvelopedRecipient(key.privateKey()).setProvider(Bc.PROVIDER);
        }
        return null;
    }

    private static UndecryptableMessageException failure(
            UndecryptableMessageException.Reason reason, List<String> recipients, String message, Throwable cause) {
        return new UndecryptableMessageException(reason, "SMIME", recipients, message, cause);
    }

    /** How an operator recognises a recipient: the certificate's issuer and serial, or its key identifier. */
    static String describe(RecipientId id) {
        if (id instanceof KeyTransRecipientId k) {
            return describe(k.getIssuer(), k.getSerialNumber(), k.getSubjectKeyIdentifier());
        }
        if (id instanceof KeyAgreeRecipientId k) {
            return describe(k.getIssuer(), k.getSerialNumber(), k.getSubjectKeyIdentifier());
        }
        if (id instanceof KEKRecipientId k) {
            return "kekId=" + HexFormat.of().withUpperCase().formatHex(k.getKeyIdentifier());
        }
        if (id instanceof PasswordRecipientId) {
            return "password";
        }
        return "unknown recipient type " + id.getType();
    }

    private static String describe(X500Name issuer, BigInteger serial, byte[] subjectKeyId) {
        List<String> parts = new ArrayList<>();
        if (issuer != null) {
            parts.add("issuer=" + principalName(issuer));
        }
        if (serial != null) {
            parts.add("serial=" + serial.toString(16).toUpperCase());
        }
        if (subjectKeyId != null) {
            parts.add("subjectKeyId=" + HexFormat.of().withUpperCase().formatHex(subjectKeyId));
        }
        return String.join(", ", parts);
    }

    /** The same RFC 2253 form as {@code X509Certificate.getIssuerX500Principal().getName()}. */
    private static String principalName(X500Name name) {
        try {
            return new X500Principal(name.getEncoded()).getName();
        } catch (IOException | IllegalArgumentException e) {
            return name.toString();
        }
    }

    private static String describe(ValidatedKey key) {
        return key.subject() + " (issuer="
                + key.certificate().getIssuerX500Principal().getName() + ", serial="
                + key.certificate().getSerialNumber().toString(16).toUpperCase() + ")";
    }
}

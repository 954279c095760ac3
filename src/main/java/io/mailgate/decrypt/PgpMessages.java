package io.mailgate.decrypt;

import static io.mailgate.decrypt.UndecryptableMessageException.Reason.CORRUPT;
import static io.mailgate.decrypt.UndecryptableMessageException.Reason.NOT_FOR_OUR_KEY;
import static io.mailgate.decrypt.UndecryptableMessageException.Reason.NO_KEY;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;

/** OpenPGP (RFC 4880/9580) decryption and signature checks for PGP/MIME (RFC 3156). */
final class PgpMessages {

    record Decrypted(ValidatedKey key, long keyId, SignatureResult signature) {}

    private PgpMessages() {}

    /** Decrypts the armored or binary OpenPGP message of a multipart/encrypted into {@code target}. */
    static Decrypted decrypt(InputStream encrypted, Path target, DecryptionKeys all, long limit)
            throws UndecryptableMessageException, IOException {
        List<ValidatedKey> keys = all.ofKind(KeyKind.PGP);
        List<String> recipients = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(encrypted)) {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
            Object first = objects.nextObject();
            while (first instanceof PGPMarker) {
                first = objects.nextObject();
            }
            if (!(first instanceof PGPEncryptedDataList list)) {
                throw failure(CORRUPT, recipients, "PGP/MIME message holds no OpenPGP encrypted data.", null);
            }
            for (PGPEncryptedData data : list) {
                if (data instanceof PGPPublicKeyEncryptedData pk) {
                    recipients.add("pgpKeyId=" + PgpDecryptionKeys.keyId(pk.getKeyID()));
                } else if (data instanceof PGPPBEEncryptedData) {
                    recipients.add("passphrase");
                }
            }
            if (keys.isEmpty()) {
                throw failure(
                        NO_KEY,
                        recipients,
                        "PGP/MIME message encrypted for " + recipients
                                + ", but no OpenPGP decryption key is installed.",
                        null);
            }
            for (PGPEncryptedData data : list) {
                if (!(data instanceof PGPPublicKeyEncryptedData pk)) {
                    continue;
                }
                for (ValidatedKey key : keys) {
                    // Key ID 0 is a hidden recipient (gpg --throw-keyids): try each of our keys.
                    List<PGPPrivateKey> candidates = new ArrayList<>();
                    if (pk.getKeyID() == 0) {
                        key.pgpKeys().all().forEach(candidates::add);
                    } else if (key.pgpKeys().privateKey(pk.getKeyID()) != null) {
                        candidates.add(key.pgpKeys().privateKey(pk.getKeyID()));
                    }
                    for (PGPPrivateKey privateKey : candidates) {
                        InputStream clear;
                        try {
                            clear = pk.getDataStream(new BcPublicKeyDataDecryptorFactory(privateKey));
                        } catch (PGPException e) {
                            if (pk.getKeyID() == 0) {
                                continue;
                            }
                            throw e;
                        }
                        SignatureResult signature = readLiteral(clear, target, all, limit);
                        if (!pk.isIntegrityProtected()) {
                            throw failure(
                                    CORRUPT,
                                    recipients,
                                    "PGP/MIME message has no integrity protection"
                                            + " (no MDC), so tampering could not be detected.",
                                    null);
                        }
                        if (!pk.verify()) {
                            throw failure(
                                    CORRUPT,
                                    recipients,
                                    "PGP/MIME message failed its integrity check:" + " it was altered.",
                                    null);
                        }
                        return new Decrypted(key, privateKey.getKeyID(), signature);
                    }
                }
            }
            throw failure(
                    NOT_FOR_OUR_KEY,
                    recipients,
                    "PGP/MIME message encrypted for " + recipients
                            + ", not for the installed key(s) "
                            + keys.stream()
                                    .map(k -> k.subject() + " " + k.pgpKeys())
                                    .toList() + ".",
                    null);
        } catch (LimitedOutputStream.LimitExceededException e) {
            throw e;
        } catch (PGPException | IOException | RuntimeException e) {
            throw failure(
                    CORRUPT,
                    recipients,
                    "PGP/MIME message cannot be decrypted, it is damaged or altered"
                            + (recipients.isEmpty() ? "" : " (encrypted for " + recipients + ")") + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * Unpacks compression and literal data, checking a one-pass signature on the way; the public key of
     * the signer is only known when it is one of our own keys (mail carries no OpenPGP keys).
     */
    private static SignatureResult readLiteral(InputStream clear, Path target, DecryptionKeys keys, long limit)
            throws IOException, PGPException {
        BcPGPObjectFactory objects = new BcPGPObjectFactory(clear);
        Object object = objects.nextObject();
        if (object instanceof PGPCompressedData compressed) {
            objects = new BcPGPObjectFactory(compressed.getDataStream());
            object = objects.nextObject();
        }
        PGPOnePassSignature onePass = null;
        PgpPublicKeys.Found signerKey = null;
        if (object instanceof PGPOnePassSignatureList list && !list.isEmpty()) {
            onePass = list.get(0);
            signerKey = publicKey(keys, onePass.getKeyID());
            if (signerKey != null) {
                onePass.init(new BcPGPContentVerifierBuilderProvider(), signerKey.key());
            }
            object = objects.nextObject();
        }
        if (!(object instanceof PGPLiteralData literal)) {
            throw new PGPException("no literal data in the decrypted message");
        }
        try (InputStream content = literal.getInputStream();
                OutputStream out =
                        new LimitedOutputStream(new BufferedOutputStream(Files.newOutputStream(target)), limit)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = content.read(buffer)) != -1) {
                if (signerKey != null) {
                    onePass.update(buffer, 0, n);
                }
                out.write(buffer, 0, n);
            }
        }
        if (onePass == null) {
            return SignatureResult.of(SignatureStatus.NONE);
        }
        String signer = "OpenPGP key " + PgpDecryptionKeys.keyId(onePass.getKeyID());
        if (signerKey == null) {
            return new SignatureResult(SignatureStatus.UNVERIFIED, null, signer);
        }
        try {
            Object trailer = objects.nextObject();
            boolean valid = trailer instanceof PGPSignatureList signatures
                    && !signatures.isEmpty()
                    && onePass.verify(signatures.get(0));
            return new SignatureResult(
                    valid ? SignatureStatus.VALID : SignatureStatus.INVALID, address(signerKey), signer);
        } catch (PGPException | IOException | RuntimeException e) {
            return new SignatureResult(SignatureStatus.INVALID, address(signerKey), signer);
        }
    }

    /** A detached signature of a PGP/MIME multipart/signed over the first part's canonical bytes. */
    static SignatureResult verifyDetached(Path content, InputStream signature, DecryptionKeys keys) {
        try (InputStream in = PGPUtil.getDecoderStream(signature)) {
            Object object = new BcPGPObjectFactory(in).nextObject();
            if (!(object instanceof PGPSignatureList list) || list.isEmpty()) {
                return SignatureResult.of(SignatureStatus.INVALID);
            }
            PGPSignature pgpSignature = list.get(0);
            String signer = "OpenPGP key " + PgpDecryptionKeys.keyId(pgpSignature.getKeyID());
            PgpPublicKeys.Found key = publicKey(keys, pgpSignature.getKeyID());
            if (key == null) {
                return new SignatureResult(SignatureStatus.UNVERIFIED, null, signer);
            }
            pgpSignature.init(new BcPGPContentVerifierBuilderProvider(), key.key());
            try (InputStream data =
                    new CanonicalLineEndingsInputStream(new BufferedInputStream(Files.newInputStream(content)))) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = data.read(buffer)) != -1) {
                    pgpSignature.update(buffer, 0, n);
                }
            }
            return new SignatureResult(
                    pgpSignature.verify() ? SignatureStatus.VALID : SignatureStatus.INVALID, address(key), signer);
        } catch (PGPException | IOException | RuntimeException e) {
            return SignatureResult.of(SignatureStatus.INVALID);
        }
    }

    /** Our own keys (a message we signed) or the keys the caller trusts. */
    private static PgpPublicKeys.Found publicKey(DecryptionKeys keys, long keyId) {
        for (ValidatedKey key : keys.ofKind(KeyKind.PGP)) {
            PgpPublicKeys.Found found = key.pgpKeys().find(keyId);
            if (found != null) {
                return found;
            }
        }
        return keys.trustedPgpKeys().find(keyId);
    }

    /** The address in the first user ID {@code Name <address>}; user IDs live on the primary key. */
    private static String address(PgpPublicKeys.Found found) {
        var ids = found.ring().getPublicKey().getUserIDs();
        if (!ids.hasNext()) {
            return null;
        }
        String id = ids.next();
        int open = id.lastIndexOf('<');
        int close = id.lastIndexOf('>');
        return open >= 0 && close > open ? id.substring(open + 1, close) : id;
    }

    private static UndecryptableMessageException failure(
            UndecryptableMessageException.Reason reason, List<String> recipients, String message, Throwable cause) {
        return new UndecryptableMessageException(reason, "PGP", recipients, message, cause);
    }
}

package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.MULTIPLE_PRIVATE_KEYS;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PGP_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_ENCRYPTION_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PASSWORD;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.NO_PRIVATE_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.WRONG_PASSWORD;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/** Reads an OpenPGP secret key export and unlocks the (sub)keys that can decrypt. */
final class PgpKeyReader {

    private PgpKeyReader() {}

    static ValidatedKey read(byte[] data, char[] passphrase, Instant now) throws DecryptionKeyException {
        List<PGPSecretKeyRing> secretRings = new ArrayList<>();
        int publicRings = 0;
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(data))) {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
            Object object;
            while ((object = objects.nextObject()) != null) {
                if (object instanceof PGPSecretKeyRing ring) {
                    secretRings.add(ring);
                } else if (object instanceof PGPPublicKeyRing) {
                    publicRings++;
                } else {
                    throw new DecryptionKeyException(
                            NOT_PGP_KEY,
                            "The file holds OpenPGP data (" + object.getClass().getSimpleName()
                                    + "), not a secret key.");
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new DecryptionKeyException(
                    NOT_PGP_KEY,
                    "The file is not an OpenPGP secret key; export it with"
                            + " \"gpg --armor --export-secret-keys <id>\".",
                    e);
        }
        if (secretRings.isEmpty()) {
            throw publicRings > 0
                    ? new DecryptionKeyException(
                            NO_PRIVATE_KEY,
                            "The file holds only an OpenPGP public key; export"
                                    + " the secret key with \"gpg --armor --export-secret-keys <id>\".")
                    : new DecryptionKeyException(
                            NOT_PGP_KEY, "The file is not an OpenPGP secret key: it holds no OpenPGP data.");
        }
        if (secretRings.size() > 1) {
            throw new DecryptionKeyException(
                    MULTIPLE_PRIVATE_KEYS,
                    "The file holds " + secretRings.size() + " OpenPGP secret keys; it must hold exactly one.");
        }
        PGPSecretKeyRing ring = secretRings.get(0);
        PGPSecretKey primary = ring.getSecretKey();
        List<PGPSecretKey> decryptionKeys = new ArrayList<>();
        for (PGPSecretKey key : ring) {
            if (!key.isPrivateKeyEmpty() && canEncrypt(key.getPublicKey())) {
                decryptionKeys.add(key);
            }
        }
        if (decryptionKeys.isEmpty()) {
            throw new DecryptionKeyException(
                    NO_ENCRYPTION_KEY,
                    "The OpenPGP key has no secret (sub)key that may"
                            + " encrypt, so no message could be decrypted with it.");
        }
        boolean protectedKey = decryptionKeys.stream().anyMatch(k -> k.getS2KUsage() != 0);
        if (protectedKey && (passphrase == null || passphrase.length == 0)) {
            throw new DecryptionKeyException(NO_PASSWORD, "The passphrase of the OpenPGP key is required.");
        }
        PBESecretKeyDecryptor decryptor = new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
                .build(passphrase == null ? new char[0] : passphrase);
        Map<Long, PGPPrivateKey> unlocked = new LinkedHashMap<>();
        for (PGPSecretKey key : decryptionKeys) {
            try {
                unlocked.put(key.getKeyID(), key.extractPrivateKey(decryptor));
            } catch (PGPException | RuntimeException e) {
                throw new DecryptionKeyException(
                        WRONG_PASSWORD,
                        "The passphrase is wrong for OpenPGP key " + PgpDecryptionKeys.keyId(key.getKeyID()) + ".",
                        e);
            }
        }
        List<PGPPublicKey> publicKeys = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(publicKeys::add);
        PGPPublicKey primaryPublic = primary.getPublicKey();
        Instant expiry = expiry(primaryPublic);
        List<String> warnings = new ArrayList<>();
        if (!protectedKey) {
            warnings.add("The OpenPGP key is not protected by a passphrase.");
        }
        if (expiry != null && now.isAfter(expiry)) {
            warnings.add("The OpenPGP key expired on " + expiry
                    + "; it still decrypts mail that was encrypted for it, but senders should get a new one.");
        }
        if (primaryPublic.hasRevocation()) {
            warnings.add("The OpenPGP key is revoked.");
        }
        String fingerprint = HexFormat.of().withUpperCase().formatHex(primary.getFingerprint());
        String userId = primaryPublic.getUserIDs().hasNext()
                ? primaryPublic.getUserIDs().next()
                : "(no user ID)";
        String sha256;
        try {
            sha256 = Fingerprints.sha256(primaryPublic.getPublicKeyPacket().getEncodedContents());
        } catch (IOException e) {
            throw new DecryptionKeyException(NOT_PGP_KEY, "The OpenPGP key cannot be encoded again.", e);
        }
        return new ValidatedKey(
                KeyKind.PGP,
                userId,
                "OpenPGP " + fingerprint,
                expiry,
                sha256,
                warnings,
                null,
                List.of(),
                new PgpDecryptionKeys(unlocked, new PGPPublicKeyRing(publicKeys)));
    }

    /**
     * Trusts the key flags of the self-signatures when there are any: BouncyCastle's
     * {@code isEncryptionKey()} only looks at the algorithm, and an RSA signing key would pass it.
     */
    static boolean canEncrypt(PGPPublicKey key) {
        Iterator<PGPSignature> signatures = key.getSignatures();
        while (signatures.hasNext()) {
            PGPSignatureSubpacketVector hashed = signatures.next().getHashedSubPackets();
            if (hashed != null && hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)) {
                return (hashed.getKeyFlags() & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0;
            }
        }
        return key.isEncryptionKey();
    }

    private static Instant expiry(PGPPublicKey key) {
        long validSeconds = key.getValidSeconds();
        return validSeconds > 0 ? key.getCreationTime().toInstant().plusSeconds(validSeconds) : null;
    }
}

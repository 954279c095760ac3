package io.mailgate.decrypt;

import static io.mailgate.decrypt.DecryptionKeyException.Reason.NOT_PGP_KEY;
import static io.mailgate.decrypt.DecryptionKeyException.Reason.TOO_LARGE;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * OpenPGP public keys whose signatures count as VALID. S/MIME mail carries its signer's certificate;
 * OpenPGP mail does not, so without the sender's key a PGP signature can only be UNVERIFIED.
 */
final class PgpPublicKeys {

    private static final PgpPublicKeys NONE = new PgpPublicKeys(List.of());

    private final List<PGPPublicKeyRing> rings;

    private PgpPublicKeys(List<PGPPublicKeyRing> rings) {
        this.rings = List.copyOf(rings);
    }

    public static PgpPublicKeys none() {
        return NONE;
    }

    /** Reads one or more armored (or binary) public keys, as {@code gpg --armor --export} writes them. */
    public static PgpPublicKeys parse(byte[] keys) throws DecryptionKeyException {
        if (keys.length > DecryptionKeyValidator.MAX_FILE_BYTES) {
            throw new DecryptionKeyException(
                    TOO_LARGE, "The OpenPGP key file is " + keys.length + " bytes; at most 1 MB is allowed.");
        }
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(keys))) {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(in);
            Object object;
            while ((object = objects.nextObject()) != null) {
                if (object instanceof PGPPublicKeyRing ring) {
                    rings.add(ring);
                } else if (object instanceof PGPSecretKeyRing secret) {
                    List<PGPPublicKey> publicKeys = new ArrayList<>();
                    secret.getPublicKeys().forEachRemaining(publicKeys::add);
                    rings.add(new PGPPublicKeyRing(publicKeys));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new DecryptionKeyException(NOT_PGP_KEY, "The file is not an OpenPGP public key.", e);
        }
        if (rings.isEmpty()) {
            throw new DecryptionKeyException(NOT_PGP_KEY, "The file holds no OpenPGP public key.");
        }
        return new PgpPublicKeys(rings);
    }

    /** A (sub)key by key ID, with the ring it belongs to (the user IDs are on the primary key). */
    record Found(PGPPublicKey key, PGPPublicKeyRing ring) {}

    Found find(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey key = ring.getPublicKey(keyId);
            if (key != null) {
                return new Found(key, ring);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "PgpPublicKeys["
                + rings.stream()
                        .map(r -> PgpDecryptionKeys.keyId(r.getPublicKey().getKeyID()))
                        .toList() + "]";
    }
}

package io.mailgate.decrypt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * The unlocked OpenPGP (sub)keys of one validated key, by key ID, and the public key ring (to check
 * signatures made with it). Opaque outside this package; {@link #toString()} shows only key IDs.
 */
final class PgpDecryptionKeys {

    private final Map<Long, PGPPrivateKey> privateKeys;
    private final PGPPublicKeyRing publicKeys;

    PgpDecryptionKeys(Map<Long, PGPPrivateKey> privateKeys, PGPPublicKeyRing publicKeys) {
        this.privateKeys = Map.copyOf(new LinkedHashMap<>(privateKeys));
        this.publicKeys = publicKeys;
    }

    PGPPrivateKey privateKey(long keyId) {
        return privateKeys.get(keyId);
    }

    Iterable<PGPPrivateKey> all() {
        return privateKeys.values();
    }

    PgpPublicKeys.Found find(long keyId) {
        PGPPublicKey key = publicKeys.getPublicKey(keyId);
        return key == null ? null : new PgpPublicKeys.Found(key, publicKeys);
    }

    static String keyId(long id) {
        return String.format("0x%016X", id);
    }

    @Override
    public String toString() {
        return privateKeys.keySet().stream().map(PgpDecryptionKeys::keyId).collect(Collectors.joining(", ", "[", "]"));
    }
}

package io.mailgate.decrypt;

import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.SecretName;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The unlocked decryption keys of each connection. Unlocking a PKCS#12 or OpenPGP key is costly, so it
 * happens once per version of the connection, not once per message; a new key makes a new version.
 */
@Component
public class ConnectionDecryptionKeys {

    private static final Logger log = LoggerFactory.getLogger(ConnectionDecryptionKeys.class);

    private record Cached(long version, DecryptionKeys keys) {}

    private final ConnectionService connections;
    private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

    ConnectionDecryptionKeys(ConnectionService connections) {
        this.connections = connections;
    }

    public DecryptionKeys keysOf(ConnectionEntity connection) {
        Cached cached = cache.get(connection.getId());
        if (cached != null && cached.version() == connection.getVersion()) {
            return cached.keys();
        }
        DecryptionKeys keys = load(connection);
        cache.put(connection.getId(), new Cached(connection.getVersion(), keys));
        return keys;
    }

    private DecryptionKeys load(ConnectionEntity connection) {
        byte[] pkcs12 = connections
                .secret(connection, SecretName.DECRYPTION_KEY)
                .map(Base64.getDecoder()::decode)
                .orElse(null);
        char[] pkcs12Password = connections
                .secret(connection, SecretName.DECRYPTION_KEY_PASSWORD)
                .map(String::toCharArray)
                .orElse(null);
        byte[] pgp = connections
                .secret(connection, SecretName.PGP_KEY)
                .map(k -> k.getBytes(StandardCharsets.US_ASCII))
                .orElse(null);
        char[] passphrase = connections
                .secret(connection, SecretName.PGP_PASSPHRASE)
                .map(String::toCharArray)
                .orElse(null);
        try {
            return DecryptionKeys.load(pkcs12, pkcs12Password, pgp, passphrase);
        } catch (DecryptionKeyException e) {
            // Validated at upload, so this means the stored key no longer opens: treat as no key, say why.
            log.error("The decryption key of {} cannot be unlocked: {}", connection, e.getMessage());
            return DecryptionKeys.none();
        }
    }
}

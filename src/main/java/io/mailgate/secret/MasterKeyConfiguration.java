package io.mailgate.secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The master key that encrypts every stored secret. Production sets MAILGATE_MASTER_KEY (32 random bytes,
 * base64) from a secret store; without it a key file is created under ./data so that a first start just
 * works, with a warning, because a key beside the database protects little against a stolen disk.
 */
@Configuration(proxyBeanMethods = false)
class MasterKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MasterKeyConfiguration.class);

    @Bean
    SecretCipher secretCipher(
            @Value("${MAILGATE_MASTER_KEY:}") String masterKey,
            @Value("${mailgate.master-key-file:./data/master.key}") Path keyFile)
            throws IOException {
        return new SecretCipher(loadKey(masterKey, keyFile));
    }

    static SecretKey loadKey(String masterKey, Path keyFile) throws IOException {
        if (masterKey != null && !masterKey.isBlank()) {
            return fromBase64(masterKey.trim(), "MAILGATE_MASTER_KEY");
        }
        if (Files.exists(keyFile)) {
            return fromBase64(Files.readString(keyFile).trim(), keyFile.toString());
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path parent = keyFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW);
        restrictToOwner(keyFile);
        log.warn(
                "MAILGATE_MASTER_KEY is not set: created a master key in {}. Anyone who can read that file can "
                        + "decrypt the stored mailbox secrets; set MAILGATE_MASTER_KEY from a secret store in production.",
                keyFile.toAbsolutePath());
        return new SecretKeySpec(key, "AES");
    }

    private static SecretKey fromBase64(String value, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + " is not base64 (expected 32 random bytes, base64-encoded)");
        }
        if (key.length != 32) {
            throw new IllegalStateException(source + " must hold 32 bytes (AES-256), found " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    private static void restrictToOwner(Path file) {
        try {
            Files.setPosixFilePermissions(file, Set.copyOf(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException | IOException e) {
            log.debug("Could not restrict permissions of {}", file);
        }
    }
}

package io.mailgate.decrypt;

import io.mailgate.account.OrgRef;
import io.mailgate.api.ApiProblem;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionSettings.DecryptionKeyInfo;
import io.mailgate.connection.SecretName;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Validates an uploaded decryption key (a .pfx/.p12, or an armored OpenPGP secret key) and stores it with the
 * connection, encrypted. For the API and the admin pages alike; errors name {@code file} or {@code password}.
 */
@Service
public class DecryptionKeyInstaller {

    private final ConnectionService connections;
    private final DecryptionKeyValidator validator = new DecryptionKeyValidator();
    private final Clock clock = Clock.systemUTC();

    DecryptionKeyInstaller(ConnectionService connections) {
        this.connections = connections;
    }

    /** The caller has checked the admin role in {@code org}. {@code bytes} null or empty: no file given. */
    public DecryptionKeyInfo install(OrgRef org, String apiName, byte[] bytes, String password) {
        connections.get(org, apiName);
        if (bytes == null || bytes.length == 0) {
            throw ApiProblem.validation("file", "is required: a .pfx/.p12 file (or an armored OpenPGP secret key)");
        }
        if (bytes.length > DecryptionKeyValidator.MAX_FILE_BYTES) {
            throw ApiProblem.validation("file", "is larger than 1 MB");
        }
        char[] secret = password == null ? null : password.toCharArray();
        boolean pgp = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.US_ASCII)
                .strip()
                .startsWith("-----BEGIN PGP");
        ValidatedKey key;
        try {
            key = pgp ? validator.validatePgp(bytes, secret) : validator.validatePkcs12(bytes, secret);
        } catch (DecryptionKeyException e) {
            String field = switch (e.reason()) {
                case NO_PASSWORD, WRONG_PASSWORD -> "password";
                default -> "file";
            };
            throw new ApiProblem(
                    HttpStatus.BAD_REQUEST,
                    "Invalid decryption key",
                    e.getMessage(),
                    List.of(new ApiProblem.FieldError(field, e.getMessage())));
        }
        Map<SecretName, String> material = new EnumMap<>(SecretName.class);
        if (pgp) {
            material.put(SecretName.PGP_KEY, new String(bytes, StandardCharsets.US_ASCII));
            material.put(SecretName.PGP_PASSPHRASE, password == null ? "" : password);
        } else {
            material.put(SecretName.DECRYPTION_KEY, Base64.getEncoder().encodeToString(bytes));
            material.put(SecretName.DECRYPTION_KEY_PASSWORD, password == null ? "" : password);
        }
        DecryptionKeyInfo info = new DecryptionKeyInfo(
                key.kind().name(),
                key.subject(),
                key.issuer(),
                key.notAfter(),
                key.sha256(),
                key.warnings(),
                clock.instant());
        connections.installDecryptionKey(org, apiName, info, material);
        return info;
    }
}

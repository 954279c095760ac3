package io.mailgate.decrypt;

import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionSettings.DecryptionKeyInfo;
import io.mailgate.connection.SecretName;
import io.mailgate.system.ApiProblem;
import io.mailgate.system.OrgAccess;
import io.mailgate.system.OrgRef;
import io.mailgate.system.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * The reference's "Import email decryption key": a .pfx/.p12 (or an armored OpenPGP secret key) of at most
 * 1 MB and its password. The key is validated before it is stored, encrypted; only its description is
 * ever shown again.
 */
@RestController
@RequestMapping("/api/v1/orgs/{org}/connections/{apiName}/decryption-key")
class DecryptionKeyController {

    private final OrgAccess access;
    private final ConnectionService connections;
    private final DecryptionKeyValidator validator = new DecryptionKeyValidator();
    private final Clock clock = Clock.systemUTC();

    DecryptionKeyController(OrgAccess access, ConnectionService connections) {
        this.access = access;
        this.connections = connections;
    }

    @PutMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    DecryptionKeyInfo install(@PathVariable String org, @PathVariable String apiName,
                              @RequestParam(required = false) MultipartFile file,
                              @RequestParam(required = false) String password) throws IOException {
        OrgRef ref = access.require(org, Role.ADMIN);
        connections.get(ref, apiName);
        if (file == null || file.isEmpty()) {
            throw ApiProblem.validation("file", "is required: a .pfx/.p12 file (or an armored OpenPGP secret key)");
        }
        if (file.getSize() > DecryptionKeyValidator.MAX_FILE_BYTES) {
            throw ApiProblem.validation("file", "is larger than 1 MB");
        }
        byte[] bytes = file.getBytes();
        char[] secret = password == null ? null : password.toCharArray();
        boolean pgp = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.US_ASCII).strip()
                .startsWith("-----BEGIN PGP");
        ValidatedKey key;
        try {
            key = pgp ? validator.validatePgp(bytes, secret) : validator.validatePkcs12(bytes, secret);
        } catch (DecryptionKeyException e) {
            String field = switch (e.reason()) {
                case NO_PASSWORD, WRONG_PASSWORD -> "password";
                default -> "file";
            };
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid decryption key",
                    e.getMessage(), List.of(new ApiProblem.FieldError(field, e.getMessage())));
        }
        Map<SecretName, String> material = new EnumMap<>(SecretName.class);
        if (pgp) {
            material.put(SecretName.PGP_KEY, new String(bytes, StandardCharsets.US_ASCII));
            material.put(SecretName.PGP_PASSPHRASE, password == null ? "" : password);
        } else {
            material.put(SecretName.DECRYPTION_KEY, Base64.getEncoder().encodeToString(bytes));
            material.put(SecretName.DECRYPTION_KEY_PASSWORD, password == null ? "" : password);
        }
        DecryptionKeyInfo info = new DecryptionKeyInfo(key.kind().name(), key.subject(), key.issuer(), key.notAfter(),
                key.sha256(), key.warnings(), clock.instant());
        connections.installDecryptionKey(ref, apiName, info, material);
        return info;
    }

    @DeleteMapping
    ResponseEntity<Void> remove(@PathVariable String org, @PathVariable String apiName) {
        connections.removeDecryptionKeys(access.require(org, Role.ADMIN), apiName);
        return ResponseEntity.noContent().build();
    }
}

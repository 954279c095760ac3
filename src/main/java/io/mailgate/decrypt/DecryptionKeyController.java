package io.mailgate.decrypt;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionSettings.DecryptionKeyInfo;
import java.io.IOException;
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
    private final DecryptionKeyInstaller installer;

    DecryptionKeyController(OrgAccess access, ConnectionService connections, DecryptionKeyInstaller installer) {
        this.access = access;
        this.connections = connections;
        this.installer = installer;
    }

    @PutMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    DecryptionKeyInfo install(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) String password)
            throws IOException {
        OrgRef ref = access.require(org, Role.ADMIN);
        connections.get(ref, apiName);
        if (file != null && file.getSize() > DecryptionKeyValidator.MAX_FILE_BYTES) {
            throw ApiProblem.validation("file", "is larger than 1 MB"); // before reading it into memory
        }
        return installer.install(ref, apiName, file == null ? null : file.getBytes(), password);
    }

    @DeleteMapping
    ResponseEntity<Void> remove(@PathVariable String org, @PathVariable String apiName) {
        connections.removeDecryptionKeys(access.require(org, Role.ADMIN), apiName);
        return ResponseEntity.noContent().build();
    }
}

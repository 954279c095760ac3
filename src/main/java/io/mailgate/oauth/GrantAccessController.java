package io.mailgate.oauth;

import io.mailgate.system.OrgAccess;
import io.mailgate.system.Role;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** Grant Access / Switch Account, and /email-oauth, the redirect URI registered in Microsoft Entra. */
@RestController
class GrantAccessController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GrantAccessController.class);

    private final OrgAccess access;
    private final GrantAccess grants;

    GrantAccessController(OrgAccess access, GrantAccess grants) {
        this.access = access;
        this.grants = grants;
    }

    @PostMapping("/api/v1/orgs/{org}/connections/{apiName}/oauth/grant")
    Map<String, String> grant(@PathVariable String org, @PathVariable String apiName) {
        return Map.of("authorizationUrl", grants.start(access.require(org, Role.ADMIN), apiName, access.callerName()));
    }

    /**
     * The Entra app's certificate credential: multipart {@code file} (PEM with certificate and private key,
     * or .pfx/.p12) and {@code password} when the key is protected. Checked to open before it is stored.
     */
    @org.springframework.web.bind.annotation.PutMapping(value = "/api/v1/orgs/{org}/connections/{apiName}/oauth/certificate",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Void> certificate(@PathVariable String org, @PathVariable String apiName,
                                     @RequestParam(required = false) org.springframework.web.multipart.MultipartFile file,
                                     @RequestParam(required = false) String password) throws java.io.IOException {
        var ref = access.require(org, Role.ADMIN);
        if (file == null || file.isEmpty()) {
            throw io.mailgate.system.ApiProblem.validation("file", "is required: a PEM or .pfx/.p12 certificate with its key");
        }
        if (file.getSize() > 1024 * 1024) {
            throw io.mailgate.system.ApiProblem.validation("file", "is larger than 1 MB");
        }
        byte[] bytes = file.getBytes();
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        String material = text.strip().startsWith("-----BEGIN") ? text : java.util.Base64.getEncoder().encodeToString(bytes);
        try {
            io.mailgate.connection.GraphSources.certificate(material, password);
        } catch (IllegalArgumentException e) {
            throw io.mailgate.system.ApiProblem.validation("file", e.getMessage());
        }
        grants.installCertificate(ref, apiName, material, password);
        return ResponseEntity.noContent().build();
    }

    /** Where Microsoft sends the browser back; answers a page a person reads, never JSON or a stack trace. */
    @GetMapping(value = "/email-oauth", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> callback(@RequestParam Map<String, String> query) {
        try {
            GrantAccess.Completed done = grants.complete(AuthorizationCallback.of(query));
            return ResponseEntity.ok(page("Access granted", "mailgate can now read the mailbox of connection "
                    + done.connection() + " as " + (done.username() == null ? "the account you signed in with" : done.username())
                    + ". You can close this window."));
        } catch (GrantAccess.GrantFailed e) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_HTML).body(page("Access not granted",
                    e.getMessage()));
        } catch (RuntimeException e) {
            // A person reads this page: a clear sentence, the details only in the log.
            log.error("Completing a Grant Access sign-in failed", e);
            return ResponseEntity.internalServerError().contentType(MediaType.TEXT_HTML).body(page(
                    "Access not granted", "mailgate could not complete the sign-in; the error is in its log. "
                            + "Start Grant Access again from mailgate."));
        }
    }

    private static String page(String title, String text) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>mailgate: "
                + HtmlUtils.htmlEscape(title) + "</title></head><body><main><h1>" + HtmlUtils.htmlEscape(title)
                + "</h1><p>" + HtmlUtils.htmlEscape(text) + "</p></main></body></html>";
    }
}

package io.mailgate.connection;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.oauth.AuthorizationCallback;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.ModelAndView;

/** Grant Access / Switch Account, and /email-oauth, the redirect URI registered in Microsoft Entra. */
@RestController
class GrantAccessController {

    private static final Logger log = LoggerFactory.getLogger(GrantAccessController.class);

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
    @PutMapping(
            value = "/api/v1/orgs/{org}/connections/{apiName}/oauth/certificate",
            consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Void> certificate(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) String password)
            throws IOException {
        var ref = access.require(org, Role.ADMIN);
        if (file != null && file.getSize() > GrantAccess.MAX_CERTIFICATE_BYTES) {
            throw ApiProblem.validation("file", "is larger than 1 MB"); // before reading it
        }
        grants.installCertificate(ref, apiName, file == null ? null : file.getBytes(), password);
        return ResponseEntity.noContent().build();
    }

    /**
     * Where Microsoft sends the browser back; answers a page a person reads (templates/oauth-result.html),
     * never JSON or a stack trace. On success it links back to the connection, which now shows Switch Account.
     */
    @GetMapping(value = "/email-oauth", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView callback(@RequestParam Map<String, String> query) {
        try {
            GrantAccess.Completed done = grants.complete(AuthorizationCallback.of(query));
            String text = done.delegate()
                    ? "mailgate can now read the mailbox " + done.mailbox() + " of connection " + done.connection()
                            + " with the delegate access of " + done.username() + ", who signed in."
                    : "mailgate can now read the mailbox " + done.mailbox() + " of connection " + done.connection()
                            + " as " + done.username() + ".";
            return page(
                    HttpStatus.OK, "Access granted", text, "/orgs/" + done.org() + "/connections/" + done.connection());
        } catch (GrantAccess.GrantFailed e) {
            return page(HttpStatus.BAD_REQUEST, "Access not granted", e.getMessage(), null);
        } catch (RuntimeException e) {
            // A person reads this page: a clear sentence, the details only in the log.
            log.error("Completing a Grant Access sign-in failed", e);
            return page(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "Access not granted",
                    "mailgate could not complete the "
                            + "sign-in; the error is in its log. Start Grant Access again from mailgate.",
                    null);
        }
    }

    private static ModelAndView page(HttpStatus status, String title, String text, String back) {
        ModelAndView page = new ModelAndView("oauth-result", status);
        page.addObject("title", title);
        page.addObject("text", text);
        page.addObject("back", back);
        return page;
    }
}

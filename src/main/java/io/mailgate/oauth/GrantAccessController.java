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
        }
    }

    private static String page(String title, String text) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>mailgate: "
                + HtmlUtils.htmlEscape(title) + "</title></head><body><main><h1>" + HtmlUtils.htmlEscape(title)
                + "</h1><p>" + HtmlUtils.htmlEscape(text) + "</p></main></body></html>";
    }
}

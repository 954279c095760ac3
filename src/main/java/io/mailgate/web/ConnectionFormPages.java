package io.mailgate.web;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.connection.ConnectionEntity;
import io.mailgate.connection.ConnectionService;
import io.mailgate.connection.ConnectionView;
import io.mailgate.connection.GrantAccess;
import io.mailgate.connection.admin.ConnectionAdmin;
import io.mailgate.connectiontest.TestResult;
import io.mailgate.decrypt.DecryptionKeyInstaller;
import io.mailgate.oauth.OAuthProperties;
import io.mailgate.ops.CredentialHealth;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Add Connection + and a connection's page: the Mailbox, Connection Details (per protocol), Proxy and
 * decryption sections; Save, and Save and Test Connection; trusting the certificate a failed test found (or an
 * uploaded one) and testing again; Grant Access / Switch Account for OAuth. Every action is the API's service
 * call, so the same rules and the same field names apply. After a successful save the browser is redirected
 * (a reload never saves twice); a form with errors is shown again with each error next to its field.
 */
@Controller
@RequestMapping("/orgs/{org}/connections")
class ConnectionFormPages {

    private final OrgAccess access;
    private final ConnectionService connections;
    private final ConnectionAdmin admin;
    private final DecryptionKeyInstaller decryptionKeys;
    private final GrantAccess grants;
    private final OAuthProperties oauth;
    private final CredentialHealth credentials;

    ConnectionFormPages(
            OrgAccess access,
            ConnectionService connections,
            ConnectionAdmin admin,
            DecryptionKeyInstaller decryptionKeys,
            GrantAccess grants,
            OAuthProperties oauth,
            CredentialHealth credentials) {
        this.access = access;
        this.connections = connections;
        this.admin = admin;
        this.decryptionKeys = decryptionKeys;
        this.grants = grants;
        this.oauth = oauth;
        this.credentials = credentials;
    }

    /** Spring binds the form's fields directly (no getters and setters to keep in step with the template). */
    @InitBinder("connectionForm")
    void bindFields(WebDataBinder binder) {
        binder.initDirectFieldAccess();
        binder.setAllowedFields(ConnectionForm.FIELDS);
    }

    @GetMapping("/new")
    String add(@PathVariable String org, Model model) {
        return form(admin(org), model, null, ConnectionForm.defaults().shown(), Map.of());
    }

    @GetMapping("/{apiName}")
    String edit(@PathVariable String org, @PathVariable String apiName, Model model) {
        OrgRef ref = admin(org);
        ConnectionEntity saved = connections.get(ref, apiName);
        return form(
                ref, model, saved, ConnectionForm.of(ConnectionView.of(saved)).shown(), Map.of());
    }

    @PostMapping("/new")
    String create(
            @PathVariable String org,
            @ModelAttribute ConnectionForm connectionForm,
            BindingResult binding,
            @RequestParam(defaultValue = "save") String action,
            Model model,
            RedirectAttributes redirect) {
        return save(admin(org), null, connectionForm, binding, action, model, redirect);
    }

    @PostMapping("/{apiName}")
    String update(
            @PathVariable String org,
            @PathVariable String apiName,
            @ModelAttribute ConnectionForm connectionForm,
            BindingResult binding,
            @RequestParam(defaultValue = "save") String action,
            Model model,
            RedirectAttributes redirect) {
        OrgRef ref = admin(org);
        return save(ref, connections.get(ref, apiName), connectionForm, binding, action, model, redirect);
    }

    private String save(
            OrgRef org,
            ConnectionEntity existing,
            ConnectionForm submitted,
            BindingResult binding,
            String action,
            Model model,
            RedirectAttributes redirect) {
        if (existing != null) {
            submitted.apiName = existing.getApiName(); // shown read-only: an API name never changes
        }
        // "Keep disabled until a test passes": Save and Test saves the connection disabled and enables it only
        // when the test passes, so a wrong password never starts polling (and never locks the account).
        boolean enableIfPassed = "test".equals(action) && submitted.keepDisabledUntilTested && submitted.enabled;
        if (binding.hasErrors()) { // what Spring could not convert: a port that is not a number, an unknown choice
            return form(org, model, existing, ConnectionForm.shown(binding), ConnectionForm.errors(binding));
        }
        ConnectionEntity saved;
        try {
            var request = submitted.request(submitted.enabled && !enableIfPassed);
            saved = existing == null
                    ? connections.create(org, request)
                    : connections.replace(org, existing.getApiName(), request);
        } catch (ApiProblem problem) {
            model.addAttribute("problem", problem.errors().isEmpty() ? problem.detail() : null);
            return form(org, model, existing, ConnectionForm.shown(binding), fieldErrors(problem));
        }
        String apiName = saved.getApiName();
        // Uploads belong to a saved connection: the connection is saved first; an upload's error is then shown
        // on the saved connection's page, next to the upload.
        Map<String, String> uploadErrors = new LinkedHashMap<>();
        upload(
                submitted.decryption.file,
                Map.of("file", "decryption.file", "password", "decryption.password"),
                uploadErrors,
                bytes -> decryptionKeys.install(org, apiName, bytes, blankToNull(submitted.decryption.password)));
        upload(
                submitted.oauth.certificateFile,
                Map.of("file", "oauth.certificateFile", "password", "oauth.certificatePassword"),
                uploadErrors,
                bytes -> grants.installCertificate(
                        org, apiName, bytes, blankToNull(submitted.oauth.certificatePassword)));
        if (!uploadErrors.isEmpty()) {
            ConnectionEntity now = connections.get(org, apiName);
            model.addAttribute("flash", "The connection is saved, but an uploaded file was not accepted.");
            return form(
                    org, model, now, ConnectionForm.of(ConnectionView.of(now)).shown(), uploadErrors);
        }
        if (!"test".equals(action)) {
            redirect.addFlashAttribute("flash", "The connection " + saved.getName() + " is saved.");
            return page(org.handle(), apiName);
        }
        TestResult test = admin.test(org, apiName);
        redirect.addFlashAttribute("test", test);
        if (!enableIfPassed) {
            redirect.addFlashAttribute("flash", "The connection " + saved.getName() + " is saved.");
        } else {
            enableIfPassed(org, apiName, test, redirect, "The connection " + saved.getName() + " is saved");
        }
        return page(org.handle(), apiName);
    }

    /**
     * Enables a connection kept disabled until a test passes, when this test passed; otherwise says that it stays
     * disabled and keeps the wish on the page (the trust buttons send it again).
     */
    private void enableIfPassed(OrgRef org, String apiName, TestResult test, RedirectAttributes redirect, String done) {
        if (test.ok()) {
            connections.setEnabled(org, apiName, true);
            redirect.addFlashAttribute("flash", done + "; the test passed, so it is enabled and polls its mailbox.");
        } else {
            redirect.addFlashAttribute(
                    "flash",
                    done + ", but it stays disabled until a test passes: fix what the "
                            + "test found, then test again.");
            redirect.addFlashAttribute("enableIfPassed", true);
        }
    }

    /** Trust a certificate the server presented in the last test, then test again. */
    @PostMapping("/{apiName}/trust")
    String trust(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestParam String sha256,
            @RequestParam(defaultValue = "false") boolean enableIfPassed,
            RedirectAttributes redirect) {
        return trustThenTest(
                org,
                apiName,
                enableIfPassed,
                redirect,
                "The certificate",
                ref -> admin.trustPresented(ref, apiName, sha256));
    }

    /** Trust an uploaded certificate (PEM or DER), then test again. */
    @PostMapping("/{apiName}/trusted-certificates")
    String upload(
            @PathVariable String org,
            @PathVariable String apiName,
            @RequestParam(required = false) MultipartFile certificate,
            @RequestParam(defaultValue = "false") boolean enableIfPassed,
            RedirectAttributes redirect)
            throws IOException {
        byte[] bytes = certificate == null ? new byte[0] : certificate.getBytes();
        return trustThenTest(org, apiName, enableIfPassed, redirect, "The uploaded certificate", ref -> {
            if (bytes.length == 0) {
                throw ApiProblem.validation("certificate", "choose a certificate file (PEM or DER) to upload");
            }
            admin.trustUploaded(ref, apiName, bytes);
        });
    }

    /** The reference's flow after a certificate problem: trust it, then test again; either way back to the page. */
    private String trustThenTest(
            String org,
            String apiName,
            boolean enableIfPassed,
            RedirectAttributes redirect,
            String what,
            Consumer<OrgRef> trust) {
        OrgRef ref = admin(org);
        try {
            trust.accept(ref);
            TestResult test = admin.test(ref, apiName);
            redirect.addFlashAttribute("test", test);
            String done = what + " is trusted for this connection, and the connection was tested again";
            if (enableIfPassed) {
                enableIfPassed(ref, apiName, test, redirect, done);
            } else {
                redirect.addFlashAttribute("flash", done + ": the result is below.");
            }
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("problem", message(problem));
            redirect.addFlashAttribute("enableIfPassed", enableIfPassed);
        }
        return page(org, apiName);
    }

    @PostMapping("/{apiName}/trusted-certificates/{sha256}/remove")
    String distrust(
            @PathVariable String org,
            @PathVariable String apiName,
            @PathVariable String sha256,
            RedirectAttributes redirect) {
        connections.distrust(admin(org), apiName, sha256);
        redirect.addFlashAttribute("flash", "The certificate is no longer trusted for this connection.");
        return page(org, apiName);
    }

    @PostMapping("/{apiName}/test")
    String test(@PathVariable String org, @PathVariable String apiName, RedirectAttributes redirect) {
        redirect.addFlashAttribute("test", admin.test(admin(org), apiName));
        return page(org, apiName);
    }

    @PostMapping("/{apiName}/decryption-key/remove")
    String removeKey(@PathVariable String org, @PathVariable String apiName, RedirectAttributes redirect) {
        connections.removeDecryptionKeys(admin(org), apiName);
        redirect.addFlashAttribute("flash", "The decryption key is removed.");
        return page(org, apiName);
    }

    /** The reference's "Migrating an OAuth EWS connection to MS Graph": same app, same mailbox, Graph's endpoint. */
    @PostMapping("/{apiName}/migrate-to-graph")
    String migrate(@PathVariable String org, @PathVariable String apiName, RedirectAttributes redirect) {
        try {
            connections.migrateToGraph(admin(org), apiName);
            redirect.addFlashAttribute(
                    "flash",
                    "The connection now uses Microsoft Graph. Grant Access again if "
                            + "the app registration changed, then test it.");
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("problem", message(problem));
        }
        return page(org, apiName);
    }

    /** Grant Access (or Switch Account): the browser goes to Microsoft's sign-in and comes back to /email-oauth. */
    @PostMapping("/{apiName}/grant")
    String grant(@PathVariable String org, @PathVariable String apiName, RedirectAttributes redirect) {
        try {
            return "redirect:" + grants.start(admin(org), apiName, access.callerName());
        } catch (ApiProblem problem) {
            redirect.addFlashAttribute("problem", message(problem));
            return page(org, apiName);
        }
    }

    /** The form page; {@code saved} is the stored connection (null for Add Connection +), read once per page. */
    private String form(
            OrgRef org, Model model, ConnectionEntity saved, Map<String, String> values, Map<String, String> errors) {
        model.addAttribute("section", "connections");
        model.addAttribute("errors", errors);
        model.addAttribute("errorsInFormOrder", ConnectionForm.inFormOrder(errors));
        model.addAttribute("labels", ConnectionForm.LABELS);
        model.addAttribute("redirectUri", oauth.redirectUri().toString());
        model.addAttribute("redirectUriWarning", RedirectUriCheck.warning(oauth.publicUrl()));
        if (saved == null) {
            model.addAttribute("saved", null);
        } else {
            ConnectionAdmin.Overview overview = admin.overview(saved);
            model.addAttribute("saved", overview.connection());
            model.addAttribute("status", overview.status());
            model.addAttribute("state", StateBadge.of(overview.connection(), overview.status()));
            model.addAttribute("trusted", admin.trusted(org, saved.getApiName()));
            model.addAttribute("warnings", credentials.warnings(saved));
        }
        if (!model.containsAttribute("test")) {
            model.addAttribute("test", (TestResult) null);
        }
        if (!model.containsAttribute("enableIfPassed")) {
            model.addAttribute("enableIfPassed", false);
        } else if (Boolean.TRUE.equals(model.getAttribute("enableIfPassed"))) {
            // still waiting for a passing test: the next Save and Test enables it when it passes
            values = new LinkedHashMap<>(values);
            values.put("enabled", "true");
            values.put("keepDisabledUntilTested", "true");
        }
        model.addAttribute("values", values);
        return "connections/form";
    }

    private interface Upload {
        void accept(byte[] bytes);
    }

    /**
     * Runs an upload's install step. The installer names its fields "file" and "password"; {@code formFields}
     * says what they are called on this form, so each error is shown next to its own input.
     */
    private static void upload(
            MultipartFile file, Map<String, String> formFields, Map<String, String> errors, Upload install) {
        if (file == null || file.isEmpty()) {
            return;
        }
        String fileField = formFields.get("file");
        try {
            install.accept(file.getBytes()); // the installers refuse more than 1 MB; multipart caps it at 2 MB
        } catch (ApiProblem problem) {
            problem.errors()
                    .forEach(e -> errors.merge(
                            formFields.getOrDefault(e.field(), fileField), e.message(), (a, b) -> a + "; " + b));
            if (problem.errors().isEmpty()) {
                errors.put(fileField, problem.detail());
            }
        } catch (IOException e) {
            errors.put(fileField, "could not be read: " + e.getMessage());
        }
    }

    private static Map<String, String> fieldErrors(ApiProblem problem) {
        Map<String, String> errors = new LinkedHashMap<>();
        problem.errors().forEach(e -> errors.merge(e.field(), e.message(), (a, b) -> a + "; " + b));
        return errors;
    }

    private static String message(ApiProblem problem) {
        return problem.errors().isEmpty()
                ? problem.detail()
                : problem.errors().stream()
                        .map(e -> e.message())
                        .reduce((a, b) -> a + "; " + b)
                        .orElse(problem.detail());
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Back to the connection's page (a redirect, so a reload never repeats the action). */
    private static String page(String org, String apiName) {
        return "redirect:/orgs/" + org + "/connections/" + apiName;
    }

    private OrgRef admin(String org) {
        return access.require(org, Role.ADMIN);
    }
}

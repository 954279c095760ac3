package io.mailgate.web;

import io.mailgate.account.OrgAccess;
import io.mailgate.account.OrgRef;
import io.mailgate.account.Role;
import io.mailgate.api.ApiProblem;
import io.mailgate.incident.IncidentReader;
import io.mailgate.incident.IncidentReader.IncidentDetail;
import io.mailgate.incident.MessageDownloads;
import io.mailgate.incident.Views.MessageDetailView;
import io.mailgate.incident.Views.MessageView;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Incidents for analysts: the list (most recently changed first) and one incident with its messages, their
 * bodies (text, or HTML made inert by {@link EmailHtml}), why each joined the incident, and downloads of the
 * raw message and its attachments. Analysts and admins, like the API.
 */
@Controller
@RequestMapping("/orgs/{org}")
class IncidentPages {

    static final int PAGE_SIZE = 25;

    /** A message as the detail page shows it: the API's view plus the words and safe body the page needs. */
    record MessageOnPage(
            MessageView message,
            MessageDetailView detail,
            String linkReason,
            String encryption,
            String signature,
            String safeHtml,
            String safeText) {}

    private final OrgAccess access;
    private final IncidentReader incidents;
    private final MessageDownloads downloads;

    IncidentPages(OrgAccess access, IncidentReader incidents, MessageDownloads downloads) {
        this.access = access;
        this.incidents = incidents;
        this.downloads = downloads;
    }

    @GetMapping("/incidents")
    String list(
            @PathVariable String org,
            @RequestParam(required = false) Long before,
            @RequestParam(required = false) Integer limit,
            Model model) {
        OrgRef ref = analyst(org);
        model.addAttribute("section", "incidents");
        int size = pageSize(limit);
        model.addAttribute("page", incidents.recent(ref, before, size));
        model.addAttribute("firstPage", before == null);
        model.addAttribute("limit", size);
        return "incidents/list";
    }

    /**
     * The newest page's rows alone: htmx fetches them every few seconds while the list is open and visible (as on
     * the connections list), so a new incident shows up without a reload. Older pages stay as they are.
     */
    @GetMapping("/incidents/rows")
    String rows(@PathVariable String org, @RequestParam(required = false) Integer limit, Model model) {
        OrgRef ref = analyst(org);
        int size = pageSize(limit);
        model.addAttribute("page", incidents.recent(ref, null, size));
        model.addAttribute("firstPage", true);
        model.addAttribute("limit", size);
        return "incidents/list :: rows";
    }

    @GetMapping("/incidents/{id}")
    String detail(@PathVariable String org, @PathVariable long id, Model model) {
        IncidentDetail detail = incidents.detail(analyst(org), id);
        List<MessageOnPage> messages =
                detail.messages().stream().map(IncidentPages::onPage).toList();
        model.addAttribute("section", "incidents");
        model.addAttribute("incident", detail.incident());
        model.addAttribute("messages", messages);
        return "incidents/detail";
    }

    @GetMapping("/email-messages/{id}/raw")
    ResponseEntity<StreamingResponseBody> raw(@PathVariable String org, @PathVariable long id) {
        return downloads.raw(analyst(org), id);
    }

    @GetMapping("/email-messages/{id}/attachments/{index}")
    ResponseEntity<StreamingResponseBody> attachment(
            @PathVariable String org, @PathVariable long id, @PathVariable int index) {
        return downloads.attachment(analyst(org), id, index);
    }

    /** Rows per page: 25, or the {@code limit} asked for (1-100). */
    static int pageSize(Integer limit) {
        if (limit == null) {
            return PAGE_SIZE;
        }
        if (limit < 1 || limit > 100) {
            throw ApiProblem.validation("limit", "must be 1-100");
        }
        return limit;
    }

    private OrgRef analyst(String org) {
        return access.require(org, Role.ANALYST);
    }

    private static MessageOnPage onPage(MessageDetailView detail) {
        MessageView m = detail.message();
        return new MessageOnPage(
                m,
                detail,
                linkReason(m.linkReason()),
                encryption(m),
                signature(m),
                detail.htmlBody() == null ? null : EmailHtml.sanitize(detail.htmlBody()),
                EmailHtml.defangText(detail.textBody()));
    }

    /** Why the message is in this incident, in an analyst's words. */
    static String linkReason(String reason) {
        if (reason == null || reason.isBlank()) {
            return "Unknown";
        }
        return switch (reason) {
            case "NEW" -> "Started this incident";
            case "REFERENCE_IN_SUBJECT" -> "Reference in subject";
            case "THREAD" -> "Reply in the same thread";
            default -> readable(reason);
        };
    }

    static String encryption(MessageView m) {
        if (!m.encrypted()) {
            return "Not encrypted";
        }
        String format = "NONE".equals(m.encryptionFormat()) ? "" : " (" + readableFormat(m.encryptionFormat()) + ")";
        if (!m.decrypted()) {
            return "Encrypted" + format + ", not decrypted";
        }
        return "Encrypted" + format + ", decrypted" + (m.decryptedWith() == null ? "" : " with " + m.decryptedWith());
    }

    static String signature(MessageView m) {
        String signer = m.signer() == null ? "" : " by " + m.signer();
        String certificate = m.signerCertificate() == null ? "" : " (" + m.signerCertificate() + ")";
        return switch (m.signature() == null ? "NONE" : m.signature()) {
            case "NONE" -> "Not signed";
            case "VALID" -> "Valid signature" + signer + certificate;
            case "INVALID" ->
                "Invalid signature" + signer + certificate + ": the message was changed or the signature is broken";
            case "UNTRUSTED" -> "Signed" + signer + certificate + ", but the signer is not trusted";
            case "UNVERIFIED" -> "Signed" + signer + ", but the signer's certificate is unknown";
            default -> readable(m.signature()) + signer + certificate;
        };
    }

    private static String readableFormat(String format) {
        return switch (format == null ? "" : format) {
            case "SMIME" -> "S/MIME";
            case "PGP" -> "OpenPGP";
            default -> format;
        };
    }

    /** SOME_CODE → "Some code". */
    static String readable(String code) {
        String words = code.replace('_', ' ').toLowerCase(Locale.ROOT).trim();
        return words.isEmpty() ? code : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

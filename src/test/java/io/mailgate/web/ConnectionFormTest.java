package io.mailgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.connection.ConnectionRequest;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.Protocol;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.format.support.DefaultFormattingConversionService;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.mock.web.MockMultipartHttpServletRequest;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.ServletRequestDataBinder;

/** The connection form as Spring MVC binds a submitted page (the pages' controller binds it the same way). */
class ConnectionFormTest {

    @Test
    void theChosenProtocolsSectionBecomesTheRequestAndTheProxyOnlyBehindItsToggle() {
        MockMultipartHttpServletRequest post = new MockMultipartHttpServletRequest();
        post.addParameters(Map.of(
                "apiName",
                " shared_box ",
                "name",
                "Shared",
                "description",
                "  ",
                "enabled",
                "true",
                "protocol",
                "OAUTH",
                "imap.host",
                "ignored.example.com",
                "imap.port",
                "993"));
        post.addParameters(Map.of(
                "oauth.clientId",
                "11111111-2222-3333-4444-555555555555",
                "oauth.credentialType",
                "CLIENT_SECRET",
                "oauth.clientSecret",
                " secret with spaces ",
                "oauth.clientSecretExpiresAt",
                "2027-06-30",
                "oauth.emailAddress",
                "soc@example.com",
                "proxy.host",
                "proxy.example.com"));
        post.addParameter("polling.intervalSeconds", " 60 ");
        post.addFile(new MockMultipartFile("decryption.file", "soc.pfx", "application/x-pkcs12", new byte[] {1, 2}));
        ConnectionForm form = new ConnectionForm();
        assertThat(bind(form, post).hasErrors()).isFalse();

        ConnectionRequest request = form.request(true);
        assertThat(request.apiName()).isEqualTo("shared_box");
        assertThat(request.description()).isNull();
        assertThat(request.protocol()).isEqualTo(Protocol.OAUTH);
        assertThat(request.imap()).isNull();
        assertThat(request.proxy()).isNull(); // its toggle is off
        assertThat(request.oauth().credentialType()).isEqualTo(OAuthCredentialType.CLIENT_SECRET);
        assertThat(request.oauth().clientSecret()).isEqualTo(" secret with spaces "); // a secret is taken as typed
        assertThat(request.oauth().clientSecretExpiresAt()).isEqualTo(Instant.parse("2027-06-30T23:59:59Z"));
        assertThat(request.oauth().appOnly()).isFalse(); // not ticked
        assertThat(request.polling().intervalSeconds()).isEqualTo(60);
        assertThat(form.decryption.file.getOriginalFilename()).isEqualTo("soc.pfx");

        post.addParameter("proxy.enabled", "true");
        post.addParameter("proxy.protocol", "HTTPS");
        ConnectionForm withProxy = new ConnectionForm();
        bind(withProxy, post);
        assertThat(withProxy.request(false).proxy().host()).isEqualTo("proxy.example.com");
        assertThat(withProxy.request(false).enabled()).isFalse();
    }

    @Test
    void whatCannotBeConvertedIsNamedAndShownAsTypedButSecretsNeverAre() {
        MockHttpServletRequest post = new MockHttpServletRequest();
        post.addParameters(Map.of(
                "name",
                "Broken",
                "protocol",
                "POP3",
                "imap.port",
                "99999999999",
                "imap.password",
                "hunter2",
                "imap.encryption",
                "ROT13",
                "oauth.clientSecretExpiresAt",
                "30/06/2027",
                "polling.intervalSeconds",
                "soon",
                "proxy.password",
                "also-secret"));
        BindingResult binding = bind(new ConnectionForm(), post);

        assertThat(ConnectionForm.errors(binding))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "protocol", "must be one of IMAP, EXCHANGE, OAUTH",
                        "imap.port", "must be a whole number",
                        "imap.encryption", "must be one of SSL_TLS, STARTTLS, NONE",
                        "oauth.clientSecretExpiresAt", "must be a date such as 2027-06-30",
                        "polling.intervalSeconds", "must be a whole number"));
        Map<String, String> shown = ConnectionForm.shown(binding);
        assertThat(shown)
                .containsEntry("name", "Broken")
                .containsEntry("imap.port", "99999999999")
                .containsEntry("protocol", "POP3")
                .containsEntry("oauth.clientSecretExpiresAt", "30/06/2027");
        assertThat(shown.keySet()).noneMatch(field -> field.toLowerCase().contains("password"));
        assertThat(shown.values()).doesNotContain("hunter2", "also-secret");
    }

    @Test
    void theErrorSummaryFollowsTheFormsOrder() {
        Map<String, String> errors = Map.of(
                "polling.intervalSeconds",
                "must be 1-86400",
                "imap.password",
                "is required",
                "apiName",
                "is required",
                "name",
                "is required",
                "imap.host",
                "is required");
        assertThat(ConnectionForm.inFormOrder(errors).keySet())
                .containsExactly("name", "apiName", "imap.host", "imap.password", "polling.intervalSeconds");
    }

    @Test
    void onlyTheFormsOwnFieldsAreBound() {
        MockHttpServletRequest post = new MockHttpServletRequest();
        post.addParameters(Map.of(
                "name",
                "Odd",
                "imap[0]",
                "x",
                "polling.intervalSeconds[99999999]",
                "1",
                "imap.host.bytes",
                "x",
                "_csrf",
                "token",
                "action",
                "test",
                "class.name",
                "x"));
        ConnectionForm form = new ConnectionForm();
        BindingResult binding = bind(form, post); // Spring throws on imap[0] unless it is kept out

        assertThat(binding.hasErrors()).isFalse();
        assertThat(form.name).isEqualTo("Odd");
        assertThat(binding.getSuppressedFields()).contains("imap[0]", "polling.intervalSeconds[99999999]");
    }

    /** As the pages' controller has it (its @InitBinder) with Spring's formatting conversions. */
    private static BindingResult bind(ConnectionForm form, MockHttpServletRequest post) {
        ServletRequestDataBinder binder = new ServletRequestDataBinder(form, "connectionForm");
        new ConnectionFormPages(null, null, null, null, null, null, null).bindFields(binder);
        binder.setConversionService(new DefaultFormattingConversionService());
        binder.bind(post);
        return binder.getBindingResult();
    }
}

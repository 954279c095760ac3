package io.mailgate.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailgate.api.ApiProblem.FieldError;
import io.mailgate.connection.ConnectionRequest.Exchange;
import io.mailgate.connection.ConnectionRequest.Imap;
import io.mailgate.connection.ConnectionRequest.IncidentPolicyInput;
import io.mailgate.connection.ConnectionRequest.OAuth;
import io.mailgate.connection.ConnectionRequest.PollingInput;
import io.mailgate.connection.ConnectionRequest.Proxy;
import io.mailgate.connection.ConnectionSettings.OAuthApiType;
import io.mailgate.connection.ConnectionSettings.OAuthCredentialType;
import io.mailgate.connection.ConnectionSettings.ProxyProtocol;
import io.mailgate.imap.ImapEncryption;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The field rules (annotations on ConnectionRequest) and the cross-field rules, as one answer. */
class ConnectionValidatorTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";

    private final ConnectionValidator validator = new ConnectionValidator(FACTORY.getValidator());

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    @Test
    void aCompleteImapConnectionIsValid() {
        assertThat(validator.validate(
                        imap(new Imap("imap.example.com", 993, "soc@example.com", "pw", ImapEncryption.SSL_TLS, null)),
                        null))
                .isEmpty();
        // the white space around a host name is ignored, as when the settings are stored
        assertThat(validator.validate(imap(new Imap("  imap.example.com ", 993, "soc", "pw", null, null)), null))
                .isEmpty();
    }

    @Test
    void everyBadFieldIsNamedInOneAnswerInTheRequestsOrder() {
        ConnectionRequest request = new ConnectionRequest(
                "Bad Name",
                " ",
                null,
                true,
                Protocol.IMAP,
                new Imap(null, 70000, "soc@example.com", null, null, "a\nb"),
                null,
                null,
                null,
                null,
                new IncidentPolicyInput(null, "no group", null),
                new PollingInput(0, null));

        assertThat(validator.validate(request, null))
                .containsExactly(
                        new FieldError(
                                "apiName",
                                "must start with a lower-case letter and have 2-64 characters of a-z, 0-9 and _"),
                        new FieldError("name", "is required"),
                        new FieldError("imap.host", "is required"),
                        new FieldError("imap.port", "must be 1-65535"),
                        new FieldError("imap.password", "is required"),
                        new FieldError("imap.sourceFolder", "must be a single line"),
                        new FieldError(
                                "incidentPolicy.referencePattern", "must have a capturing group for the incident id"),
                        new FieldError("polling.intervalSeconds", "must be 1-86400"));
    }

    @Test
    void aFieldGetsOneKindOfMessageMissingBeforeTooLongBeforeMalformed() {
        ConnectionRequest blankApiName = new ConnectionRequest(
                "",
                "x".repeat(201),
                null,
                null,
                Protocol.IMAP,
                new Imap("h", 1, "soc", "pw", null, null),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(validator.validate(blankApiName, null))
                .containsExactly(
                        new FieldError("apiName", "is required"),
                        new FieldError("name", "must be at most 200 characters"));

        ConnectionRequest longAndMalformed = exchange(
                new Exchange("https://mail.example.com/EWS/Exchange.asmx", "no-at-sign".repeat(100), "pw", null));
        assertThat(validator.validate(longAndMalformed, null))
                .containsExactly(new FieldError("exchange.emailAddress", "must be at most 640 characters"));
        assertThat(mailboxErrors("soc@example.com\nBcc: someone@example.com")).containsExactly("must be a single line");
    }

    @Test
    void hugeValuesAreAnsweredLikeAnyOther() {
        String megabyte = " ".repeat(1024 * 1024);
        ConnectionRequest request =
                imap(new Imap(megabyte, 993, "soc@example.com" + megabyte, "pw", null, "x".repeat(1024 * 1024)));
        assertThat(validator.validate(request, null))
                .extracting(FieldError::field)
                .containsExactly("imap.host", "imap.emailAddress", "imap.sourceFolder");

        ConnectionRequest deepPattern = new ConnectionRequest(
                "deep",
                "Deep",
                null,
                null,
                Protocol.IMAP,
                new Imap("h", 1, "soc", "pw", null, null),
                null,
                null,
                null,
                null,
                new IncidentPolicyInput(null, "(".repeat(100_000), null),
                null);
        assertThat(validator.validate(deepPattern, null))
                .containsExactly(new FieldError("incidentPolicy.referencePattern", "must be at most 500 characters"));
    }

    @Test
    void theBlockOfTheChosenProtocolIsRequiredAndTheOthersAreIgnored() {
        ConnectionRequest noBlock = new ConnectionRequest(
                "mbox",
                "Mailbox",
                null,
                null,
                Protocol.EXCHANGE,
                new Imap(null, -1, null, null, null, null),
                null,
                null,
                new Proxy(null, null, null, null, null),
                null,
                null,
                null);
        assertThat(validator.validate(noBlock, null))
                .containsExactly(
                        new FieldError("exchange", "is required when protocol is EXCHANGE"),
                        new FieldError("proxy.protocol", "is required: HTTP or HTTPS"),
                        new FieldError("proxy.host", "is required"),
                        new FieldError("proxy.port", "is required"));

        ConnectionRequest imapWithProxy = new ConnectionRequest(
                "mbox",
                "Mailbox",
                null,
                null,
                Protocol.IMAP,
                new Imap("h", 1, "soc", "pw", null, null),
                null,
                null,
                new Proxy(null, null, 0, null, "secret"),
                null,
                null,
                null);
        assertThat(validator.validate(imapWithProxy, null))
                .containsExactly(new FieldError("proxy", "applies to EXCHANGE and OAUTH connections only"));

        ConnectionRequest noProtocol = new ConnectionRequest(
                "mbox",
                "Mailbox",
                null,
                null,
                null,
                new Imap(null, null, null, null, null, null),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(validator.validate(noProtocol, null))
                .containsExactly(new FieldError("protocol", "is required: IMAP, EXCHANGE or OAUTH"));
    }

    @Test
    void exchangeOnlineIsPointedToOAuthWhateverElseIsWrongWithTheUrl() {
        assertThat(validator.validate(
                        exchange(new Exchange("http://outlook.office365.com", "soc@example.com", "pw", null)), null))
                .containsExactly(new FieldError(
                        "exchange.endpoint",
                        "is Exchange Online "
                                + "(outlook.office365.com), which no longer offers EWS; use protocol OAUTH (Microsoft Graph) for "
                                + "Microsoft 365 mailboxes"));
        assertThat(validator.validate(
                        exchange(new Exchange("http://mail.example.com", "soc@example.com", "pw", null)), null))
                .containsExactly(new FieldError("exchange.endpoint", "must have the form https://host/path"));
        assertThat(validator.validate(
                        exchange(new Exchange(
                                "https://u:p@mail.example.com/EWS/Exchange.asmx", "soc@example.com", "pw", null)),
                        null))
                .containsExactly(
                        new FieldError("exchange.endpoint", "must not carry credentials; use the password field"));
    }

    @Test
    void whatTheClientSentIsQuotedLiterallyNeverInterpolated() {
        assertThat(validator.validate(
                        exchange(new Exchange(
                                "https://${1+1}{max}.outlook.office365.com/EWS", "soc@example.com", "pw", null)),
                        null))
                .extracting(FieldError::message)
                .containsExactly("is Exchange Online (${1+1}{max}.outlook.office365.com), which no longer offers EWS;"
                        + " use protocol OAUTH (Microsoft Graph) for Microsoft 365 mailboxes");

        ConnectionRequest badPattern = new ConnectionRequest(
                "mbox",
                "Mailbox",
                null,
                null,
                Protocol.IMAP,
                new Imap("h", 1, "soc", "pw", null, null),
                null,
                null,
                null,
                null,
                new IncidentPolicyInput(null, "\\p{Nonsense}(\\d+)", null),
                null);
        assertThat(validator.validate(badPattern, null))
                .extracting(FieldError::message)
                .singleElement()
                .asString()
                .startsWith("is not a valid regular expression: ")
                .contains("Nonsense");
    }

    @Test
    void sharedMailboxesNeedAPrimaryAccountAndAnAddressAfterTheBackslash() {
        assertThat(mailboxErrors("primary@example.com\\shared@example.com")).isEmpty();
        assertThat(mailboxErrors("not an address"))
                .containsExactly("must be an email address user@domain, or primary\\shared for a shared mailbox");
        assertThat(mailboxErrors("\\shared@example.com"))
                .containsExactly("names a shared mailbox but no primary account before the backslash");
        assertThat(mailboxErrors("primary\\not-an-address"))
                .containsExactly("the shared mailbox after the last backslash must be user@domain");
    }

    @Test
    void oauthRulesDependOnTheApiTypeTheCredentialAndAppOnlyAccess() {
        assertThat(validator.validate(
                        oauth(new OAuth(
                                null,
                                "https://graph.microsoft.com/",
                                CLIENT_ID,
                                null,
                                null,
                                "secret",
                                "soc@example.com",
                                null,
                                false,
                                null)),
                        null))
                .isEmpty();
        assertThat(validator.validate(
                        oauth(new OAuth(
                                OAuthApiType.MS_GRAPH,
                                "https://graph.example.com",
                                "nope",
                                "not a tenant!",
                                OAuthCredentialType.CLIENT_SECRET,
                                null,
                                "soc@example.com",
                                null,
                                false,
                                null)),
                        null))
                .extracting(FieldError::field)
                .containsExactly("oauth.endpoint", "oauth.clientId", "oauth.tenantId", "oauth.clientSecret");
        assertThat(validator.validate(
                        oauth(new OAuth(
                                OAuthApiType.EWS,
                                null,
                                CLIENT_ID,
                                null,
                                OAuthCredentialType.CERTIFICATE,
                                null,
                                "soc@example.com",
                                null,
                                true,
                                null)),
                        null))
                .containsExactly(
                        new FieldError("oauth.endpoint", "is required for apiType EWS"),
                        new FieldError(
                                "oauth.tenantId",
                                "is required for app-only access (application permissions belong to one tenant)"));
        assertThat(validator.validate(
                        oauth(new OAuth(
                                OAuthApiType.EWS,
                                "http://outlook.office365.com/EWS/Exchange.asmx",
                                CLIENT_ID,
                                "contoso.onmicrosoft.com",
                                OAuthCredentialType.CERTIFICATE,
                                null,
                                "soc@example.com",
                                null,
                                true,
                                null)),
                        null))
                .containsExactly(new FieldError("oauth.endpoint", "must have the form https://host/path"));
    }

    @Test
    void aProxyPasswordNeedsAUserName() {
        ConnectionRequest request = new ConnectionRequest(
                "mbox",
                "Mailbox",
                null,
                null,
                Protocol.EXCHANGE,
                null,
                new Exchange("https://mail.example.com/EWS/Exchange.asmx", "soc@example.com", "pw", null),
                null,
                new Proxy(ProxyProtocol.HTTP, "proxy.example.com", 3128, null, "secret"),
                null,
                null,
                null);
        assertThat(validator.validate(request, null))
                .containsExactly(new FieldError("proxy.username", "is required when a proxy password is given"));
    }

    @Test
    void aStoredSecretOfTheSameProtocolMayBeLeftOutAndTheApiNameNeverChanges() {
        ConnectionRequest stored = imap(new Imap("imap.example.com", 993, "soc", "pw", null, null));
        ConnectionEntity existing = new ConnectionEntity(1, "default", "mbox", Instant.EPOCH);
        existing.configure(Protocol.IMAP, ConnectionService.settings(stored), Instant.EPOCH);
        existing.secrets().put(SecretName.IMAP_PASSWORD.key(), "v1:ciphertext");

        assertThat(validator.validate(imap(new Imap("imap.example.com", 993, "soc", null, null, null)), existing))
                .isEmpty();
        assertThat(validator.validate(
                        exchange(new Exchange(
                                "https://mail.example.com/EWS/Exchange.asmx", "soc@example.com", null, null)),
                        existing))
                .containsExactly(new FieldError("exchange.password", "is required"));
        ConnectionRequest renamed = new ConnectionRequest(
                "other",
                "Mailbox",
                null,
                null,
                Protocol.IMAP,
                new Imap("imap.example.com", 993, "soc", null, null, null),
                null,
                null,
                null,
                null,
                null,
                null);
        assertThat(validator.validate(renamed, existing))
                .containsExactly(new FieldError("apiName", "cannot be changed (it is mbox)"));
    }

    private List<String> mailboxErrors(String mailbox) {
        return validator
                .validate(
                        exchange(new Exchange("https://mail.example.com/EWS/Exchange.asmx", mailbox, "pw", null)), null)
                .stream()
                .map(FieldError::message)
                .toList();
    }

    private static ConnectionRequest imap(Imap imap) {
        return new ConnectionRequest(
                "mbox", "Mailbox", null, null, Protocol.IMAP, imap, null, null, null, null, null, null);
    }

    private static ConnectionRequest exchange(Exchange exchange) {
        return new ConnectionRequest(
                "mbox", "Mailbox", null, null, Protocol.EXCHANGE, null, exchange, null, null, null, null, null);
    }

    private static ConnectionRequest oauth(OAuth oauth) {
        return new ConnectionRequest(
                "mbox", "Mailbox", null, null, Protocol.OAUTH, null, null, oauth, null, null, null, null);
    }
}

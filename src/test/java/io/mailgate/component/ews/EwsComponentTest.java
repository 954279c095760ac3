package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.HealthCheckComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The URI and bean contract; none of these touch the network. */
class EwsComponentTest {

    private DefaultCamelContext camel;

    @BeforeEach
    void camel() {
        camel = new DefaultCamelContext();
        camel.getRegistry()
                .bind("creds", new EwsCredentials("CORP\\svc-soar", "Pa55-secret", EwsCredentials.AuthScheme.NTLM));
        camel.getRegistry()
                .bind("proxy", new EwsProxy(EwsProxy.Protocol.HTTPS, "proxy.example.com", 3128, "u", "proxy-secret"));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void eachEndpointWorksOnItsOwnCopyOfTheComponentsConfiguration() {
        EwsComponent component = camel.getComponent("ews", EwsComponent.class);
        component.getConfiguration().setFolder("Reports");
        component.getConfiguration().setFetchBatchSize(3);

        EwsEndpoint a = camel.getEndpoint(
                "ews:a?endpoint=https://mail.invalid/EWS/Exchange.asmx&mailbox=a@example.com"
                        + "&credentials=#creds&folder=Inbox/Phishing",
                EwsEndpoint.class);
        EwsEndpoint b = camel.getEndpoint(
                "ews:b?endpoint=https://mail.invalid/EWS/Exchange.asmx&mailbox=b@example.com" + "&credentials=#creds",
                EwsEndpoint.class);

        assertThat(a.getConfiguration().getFolder()).isEqualTo("Inbox/Phishing");
        assertThat(b.getConfiguration().getFolder()).isEqualTo("Reports");
        assertThat(b.getConfiguration().getFetchBatchSize()).isEqualTo(3);
        assertThat(component.getConfiguration().getFolder()).isEqualTo("Reports");
        assertThat(component.getConfiguration().getMailbox()).isNull();
        assertThat(a.getConfiguration()).isNotSameAs(b.getConfiguration()).isNotSameAs(component.getConfiguration());
        assertThat(component).isInstanceOf(HealthCheckComponent.class);
    }

    @Test
    void bindsOptionsAndBeansWithoutTouchingTheNetwork() {
        // An unreachable host: creating the endpoint must not connect.
        EwsEndpoint endpoint = camel.getEndpoint(
                "ews:phishing_reports?endpoint=https://mail.invalid/EWS/Exchange.asmx"
                        + "&mailbox=primary@example.com\\shared@example.com&folder=Inbox/Phishing&credentials=#creds&proxy=#proxy"
                        + "&maxMessagesPerPoll=25&delay=30000",
                EwsEndpoint.class);

        EwsConfiguration c = endpoint.getConfiguration();
        assertThat(c.getConnectionKey()).isEqualTo("phishing_reports");
        assertThat(c.getEndpoint()).isEqualTo("https://mail.invalid/EWS/Exchange.asmx");
        assertThat(c.getMailbox()).isEqualTo("primary@example.com\\shared@example.com");
        assertThat(c.parsedMailbox().target()).isEqualTo("shared@example.com");
        assertThat(c.getFolder()).isEqualTo("Inbox/Phishing");
        assertThat(c.getCredentials().ntDomain()).isEqualTo("CORP");
        assertThat(c.getCredentials().ntUser()).isEqualTo("svc-soar");
        assertThat(c.getProxy().port()).isEqualTo(3128);
        assertThat(c.getMaxMessagesPerPoll()).isEqualTo(25);
        assertThat(endpoint.getDelay()).isEqualTo(30000);
    }

    @Test
    void noSecretInTheUriOrToString() {
        EwsEndpoint endpoint = camel.getEndpoint(
                "ews:k?endpoint=https://mail.example.com/EWS/Exchange.asmx"
                        + "&mailbox=soc@example.com&credentials=#creds&proxy=#proxy",
                EwsEndpoint.class);

        assertThat(endpoint.getEndpointUri()).doesNotContain("secret");
        assertThat(endpoint.getConfiguration().toString())
                .doesNotContain("secret")
                .contains("***");
        assertThat(endpoint.getConfiguration().getCredentials().toString()).doesNotContain("Pa55-secret");
        assertThat(endpoint.getConfiguration().getProxy().toString()).doesNotContain("proxy-secret");
    }

    @Test
    void exchangeOnlineIsRefusedWithAPointerToOAuth() {
        assertThatThrownBy(() -> camel.getEndpoint("ews:k?endpoint=https://outlook.office365.com/EWS/Exchange.asmx"
                        + "&mailbox=soc@example.com&credentials=#creds"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause()
                .hasMessageContaining("OAuth")
                .hasMessageContaining("Microsoft Graph");
    }

    @Test
    void missingCredentialsNameTheOption() {
        assertThatThrownBy(() -> camel.getEndpoint(
                        "ews:k?endpoint=https://mail.example.com/EWS/Exchange.asmx" + "&mailbox=soc@example.com"))
                .rootCause()
                .hasMessageContaining("credentials");
    }

    @Test
    void aSharedMailboxMustEndInAnAddress() {
        assertThatThrownBy(() -> camel.getEndpoint("ews:k?endpoint=https://mail.example.com/EWS/Exchange.asmx"
                        + "&mailbox=primary@example.com\\shared&credentials=#creds"))
                .rootCause()
                .hasMessageContaining("mailbox");
    }

    @Test
    void unknownOptionsAreRejected() {
        assertThatThrownBy(() -> camel.getEndpoint("ews:k?endpoint=https://mail.example.com/EWS/Exchange.asmx"
                        + "&mailbox=soc@example.com&credentials=#creds&pasword=oops"))
                .isInstanceOf(ResolveEndpointFailedException.class);
    }

    @Test
    void isConsumerOnlyAndPollsOnceAMinuteByDefault() {
        EwsEndpoint endpoint = camel.getEndpoint(
                "ews:k?endpoint=https://mail.example.com/EWS/Exchange.asmx"
                        + "&mailbox=soc@example.com&credentials=#creds",
                EwsEndpoint.class);

        assertThat(endpoint.getDelay()).isEqualTo(60_000);
        assertThat(endpoint.getConfiguration().getFolder()).isEqualTo("Inbox");
        assertThat(endpoint.getConfiguration().getMaxMessagesPerPoll()).isEqualTo(100);

        assertThatThrownBy(endpoint::createProducer).isInstanceOf(UnsupportedOperationException.class);
    }
}

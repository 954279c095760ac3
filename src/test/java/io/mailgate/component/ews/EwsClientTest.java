package io.mailgate.component.ews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection test, and the error codes the lead maps to the API's test result. */
class EwsClientTest {

    static final String PRIMARY = "primary@example.com";
    static final String SHARED = "shared@example.com";
    static final String PASSWORD = "S3cret-Pa55!";

    private EwsSimulator exchange;
    private ConnectProxy proxy;

    @AfterEach
    void stop() throws Exception {
        if (exchange != null) {
            exchange.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    static EwsConfiguration config(
            EwsSimulator exchange, String mailbox, EwsCredentials.AuthScheme scheme, String password) {
        EwsConfiguration c = new EwsConfiguration();
        c.setConnectionKey("test");
        c.setEndpoint(exchange.url());
        c.setMailbox(mailbox);
        c.setCredentials(new EwsCredentials(PRIMARY, password, scheme));
        c.setSslContext(TestTls.get().client);
        c.setConnectTimeout(5_000);
        c.setSocketTimeout(20_000);
        return c;
    }

    @Test
    void countsUnreadMessagesWithNtlm() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.message(PRIMARY, "inbox", "Subject: one\r\n\r\nx");
        exchange.message(PRIMARY, "inbox", "Subject: two\r\n\r\nx");
        exchange.message(PRIMARY, "inbox", () -> new ByteArrayInputStream(new byte[1]), true);

        int unread = EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD));

        assertThat(unread).isEqualTo(2);
        assertThat(exchange.ntlmAuthentications).isNotEmpty().allSatisfy(a -> {
            assertThat(a.user()).isEqualTo(PRIMARY);
            assertThat(a.ntlmV2()).as("NTLMv2 response").isTrue();
            assertThat(a.valid()).isTrue();
        });
    }

    @Test
    void countsUnreadMessagesWithBasic() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);
        exchange.message(PRIMARY, "inbox", "Subject: one\r\n\r\nx");

        assertThat(EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.BASIC, PASSWORD)))
                .isEqualTo(1);
    }

    @Test
    void autoUsesNtlmWhenTheServerOffersIt() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM, EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);

        assertThat(EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.AUTO, PASSWORD)))
                .isZero();
        assertThat(exchange.ntlmAuthentications).isNotEmpty().allMatch(NtlmServer.Authentication::valid);
    }

    @Test
    void autoFallsBackToBasicWhenThatIsAllTheServerOffers() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);

        assertThat(EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.AUTO, PASSWORD)))
                .isZero();
        assertThat(exchange.ntlmAuthentications).isEmpty();
    }

    @Test
    void credentialsForASharedMailboxAddressSignInAsThePrimary() {
        EwsCredentials c = EwsCredentials.forEmailAddress(PRIMARY + "\\" + SHARED, PASSWORD, null);

        assertThat(c.username()).isEqualTo(PRIMARY);
        assertThat(c.authScheme()).isEqualTo(EwsCredentials.AuthScheme.AUTO);
        assertThat(EwsCredentials.forEmailAddress(SHARED, PASSWORD, null).username())
                .isEqualTo(SHARED);
    }

    @Test
    void wrongNtlmPasswordIsAuthFailed() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);

        assertThatThrownBy(() ->
                        EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, "wrong")))
                .isInstanceOfSatisfying(EwsException.class, e -> {
                    assertThat(e.code()).isEqualTo(EwsException.Code.AUTH_FAILED);
                    assertThat(e.stage()).isEqualTo(EwsException.Stage.AUTH);
                    assertThat(e.getMessage()).contains(PRIMARY).doesNotContain("wrong");
                });
        assertThat(exchange.ntlmAuthentications).isNotEmpty().noneMatch(NtlmServer.Authentication::valid);
    }

    @Test
    void wrongBasicPasswordIsAuthFailed() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);

        assertThatThrownBy(() ->
                        EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.BASIC, "wrong")))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.AUTH_FAILED));
    }

    @Test
    void basicAgainstAnNtlmOnlyServerIsAuthFailed() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);

        assertThatThrownBy(() ->
                        EwsClient.testConnection(config(exchange, PRIMARY, EwsCredentials.AuthScheme.BASIC, PASSWORD)))
                .isInstanceOfSatisfying(EwsException.class, e -> {
                    assertThat(e.code()).isEqualTo(EwsException.Code.AUTH_FAILED);
                    assertThat(e.getMessage()).contains("the server offers Negotiate, NTLM");
                });
    }

    @Test
    void sharedMailboxWithoutPermissionIsPermissionMissing() throws Exception {
        exchange =
                new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD).mailbox(SHARED);

        assertThatThrownBy(() -> EwsClient.testConnection(
                        config(exchange, PRIMARY + "\\" + SHARED, EwsCredentials.AuthScheme.NTLM, PASSWORD)))
                .isInstanceOfSatisfying(EwsException.class, e -> {
                    assertThat(e.code()).isEqualTo(EwsException.Code.PERMISSION_MISSING);
                    assertThat(e.ewsResponseCode()).isEqualTo("ErrorAccessDenied");
                });
    }

    @Test
    void unknownMailboxIsMailboxNotFound() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);

        assertThatThrownBy(() -> EwsClient.testConnection(
                        config(exchange, PRIMARY + "\\nobody@example.com", EwsCredentials.AuthScheme.NTLM, PASSWORD)))
                .isInstanceOfSatisfying(
                        EwsException.class, e -> assertThat(e.code()).isEqualTo(EwsException.Code.MAILBOX_NOT_FOUND));
    }

    @Test
    void missingFolderIsFolderNotFound() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.folder(PRIMARY, "inbox", "Phishing");
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD);
        c.setFolder("Inbox/Phishing/Reported");

        assertThatThrownBy(() -> EwsClient.testConnection(c)).isInstanceOfSatisfying(EwsException.class, e -> {
            assertThat(e.code()).isEqualTo(EwsException.Code.FOLDER_NOT_FOUND);
            assertThat(e.stage()).isEqualTo(EwsException.Stage.FOLDER);
            assertThat(e.getMessage()).contains("'Reported'").contains("Inbox/Phishing");
        });
    }

    @Test
    void selfSignedCertificateWithoutTrustIsUntrusted() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD);
        c.setSslContext(null); // the JDK's trust store does not know the test certificate

        assertThatThrownBy(() -> EwsClient.testConnection(c)).isInstanceOfSatisfying(EwsException.class, e -> {
            assertThat(e.code()).isEqualTo(EwsException.Code.UNTRUSTED_CERTIFICATE);
            assertThat(e.stage()).isEqualTo(EwsException.Stage.TLS);
        });
    }

    @Test
    void closedPortIsConnectionRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EwsConfiguration c = new EwsConfiguration();
        c.setConnectionKey("test");
        c.setEndpoint("https://localhost:" + port + "/EWS/Exchange.asmx");
        c.setMailbox(PRIMARY);
        c.setCredentials(new EwsCredentials(PRIMARY, PASSWORD, null));

        assertThatThrownBy(() -> EwsClient.testConnection(c)).isInstanceOfSatisfying(EwsException.class, e -> {
            assertThat(e.code()).isEqualTo(EwsException.Code.CONNECTION_REFUSED);
            assertThat(e.stage()).isEqualTo(EwsException.Stage.CONNECT);
        });
    }

    @Test
    void worksThroughAnAuthenticatingHttpProxy() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        exchange.message(PRIMARY, "inbox", "Subject: one\r\n\r\nx");
        proxy = new ConnectProxy("proxyuser", "proxy-pw", null);
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD);
        c.setProxy(new EwsProxy(EwsProxy.Protocol.HTTP, "localhost", proxy.port(), "proxyuser", "proxy-pw"));

        assertThat(EwsClient.testConnection(c)).isEqualTo(1);
        assertThat(proxy.tunnels).contains("localhost:" + exchange.port());
        assertThat(proxy.refusals)
                .as("first CONNECT is challenged, then answered")
                .isNotEmpty();
    }

    @Test
    void worksThroughAnHttpsProxyTrustedLikeTheServer() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);
        exchange.message(PRIMARY, "inbox", "Subject: one\r\n\r\nx");
        proxy = new ConnectProxy("proxyuser", null, TestTls.get().server);
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.BASIC, PASSWORD);
        c.setProxy(new EwsProxy(EwsProxy.Protocol.HTTPS, "localhost", proxy.port(), "proxyuser", null));

        assertThat(EwsClient.testConnection(c)).isEqualTo(1);
        assertThat(proxy.tunnels).contains("localhost:" + exchange.port());
    }

    @Test
    void worksThroughAnNtlmProxy() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.BASIC).user(PRIMARY, PASSWORD);
        proxy = new ConnectProxy("proxyuser", "proxy-pw", null, true);
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.BASIC, PASSWORD);
        c.setProxy(new EwsProxy(EwsProxy.Protocol.HTTP, "localhost", proxy.port(), "CORP\\proxyuser", "proxy-pw"));

        assertThat(EwsClient.testConnection(c)).isZero();
        assertThat(proxy.ntlmAuthentications).singleElement().satisfies(a -> {
            assertThat(a.user()).isEqualTo("proxyuser");
            assertThat(a.domain()).isEqualToIgnoringCase("CORP");
            assertThat(a.valid()).isTrue();
        });
    }

    @Test
    void wrongProxyPasswordIsProxyAuthFailed() throws Exception {
        exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
        proxy = new ConnectProxy("proxyuser", "proxy-pw", null);
        EwsConfiguration c = config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD);
        c.setProxy(new EwsProxy(EwsProxy.Protocol.HTTP, "localhost", proxy.port(), "proxyuser", "wrong"));

        assertThatThrownBy(() -> EwsClient.testConnection(c)).isInstanceOfSatisfying(EwsException.class, e -> {
            assertThat(e.code()).isEqualTo(EwsException.Code.PROXY_AUTH_FAILED);
            assertThat(e.stage()).isEqualTo(EwsException.Stage.PROXY);
        });
        assertThat(proxy.tunnels).isEmpty();
    }

    @Test
    void xxeInAResponseIsRefusedWithoutReadingTheFile() throws Exception {
        Path secret = Files.createTempFile("ews-xxe", ".txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        try {
            exchange = new EwsSimulator(EwsSimulator.Auth.NTLM).user(PRIMARY, PASSWORD);
            exchange.throttle(PRIMARY, new EwsSimulator.Xxe(secret.toUri().toString()));

            assertThatThrownBy(() -> EwsClient.testConnection(
                            config(exchange, PRIMARY, EwsCredentials.AuthScheme.NTLM, PASSWORD)))
                    .isInstanceOfSatisfying(EwsException.class, e -> {
                        assertThat(e.code()).isEqualTo(EwsException.Code.PROTOCOL_ERROR);
                        assertThat(e.getMessage()).contains("DTD").doesNotContain("TOP-SECRET");
                    });
        } finally {
            Files.deleteIfExists(secret);
        }
    }
}

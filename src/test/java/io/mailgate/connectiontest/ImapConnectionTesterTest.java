package io.mailgate.connectiontest;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailgate.imap.ImapEncryption;
import io.mailgate.tls.CertificateInfo;
import io.mailgate.tls.Certificates;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every code an IMAP connection test can answer, produced for real: GreenMail behind TLS fronts with
 * certificates generated here, a closed port, a server that never answers.
 */
class ImapConnectionTesterTest {

    private static final String USER = "soc@example.com";
    private static final String PASSWORD = "Tr0ub4dor-and-3";

    private static final TestCertificates.Issued LOCALHOST =
            TestCertificates.selfSigned("localhost", List.of("localhost", "127.0.0.1"));
    private static final TestCertificates.Issued OTHER_HOST =
            TestCertificates.selfSigned("mail.other.example", List.of("mail.other.example"));
    private static final TestCertificates.Issued EXPIRED = TestCertificates.selfSigned(
            "localhost",
            List.of("localhost"),
            Instant.now().minus(Duration.ofDays(30)),
            Instant.now().minus(Duration.ofDays(1)));
    private static final TestCertificates.Issued AUTHORITY = TestCertificates.authority("mailgate test CA");
    private static final TestCertificates.Issued AUTHORITY_SIGNED =
            TestCertificates.issuedBy(AUTHORITY, "localhost", List.of("localhost"));

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private final ImapConnectionTester tester = new ImapConnectionTester(Duration.ofSeconds(5));
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void mailbox() throws Exception {
        GreenMailUser user = greenMail.setUser(USER, USER, PASSWORD);
        greenMail.getManagers().getImapHostManager().createMailbox(user, "Reports");
        for (int i = 1; i <= 2; i++) {
            user.deliver(GreenMailUtil.createTextEmail(
                    USER,
                    "reporter@example.com",
                    "Suspicious " + i,
                    "body",
                    greenMail.getImap().getServerSetup()));
        }
    }

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void plainImapOpensTheFolderAndCountsUnreadMessages() {
        TestResult result = test(probe(ImapEncryption.NONE, greenMail.getImap().getPort(), "INBOX"), List.of());

        assertThat(result.ok()).isTrue();
        assertThat(result.stage()).isEqualTo(TestStage.FOLDER);
        assertThat(result.code()).isNull();
        assertThat(result.folder()).isEqualTo("INBOX");
        assertThat(result.unreadMessages()).isEqualTo(2);
    }

    @Test
    void theTestLeavesMessagesUnread() {
        test(probe(ImapEncryption.NONE, greenMail.getImap().getPort(), "INBOX"), List.of());

        assertThat(test(probe(ImapEncryption.NONE, greenMail.getImap().getPort(), "INBOX"), List.of())
                        .unreadMessages())
                .isEqualTo(2);
    }

    @Test
    void selfSignedCertificateIsRefusedWithItsChainThenTrustedForThisConnectionOnly() throws Exception {
        ImapFront front =
                start(ImapFront.implicitTls(LOCALHOST, greenMail.getImap().getPort()));
        ImapProbe probe = probe(ImapEncryption.SSL_TLS, front.port(), "INBOX");

        TestResult refused = test(probe, List.of());

        assertThat(refused.ok()).isFalse();
        assertThat(refused.stage()).isEqualTo(TestStage.TLS);
        assertThat(refused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(refused.message())
                .isEqualTo("The certificate of localhost:" + front.port() + " is not trusted (self-signed).");
        CertificateInfo presented = refused.serverCertificates().get(0);
        assertThat(presented.sha256()).isEqualTo(Certificates.sha256(LOCALHOST.certificate()));
        assertThat(presented.subject()).isEqualTo("CN=localhost");
        assertThat(presented.issuer()).isEqualTo("CN=localhost");
        assertThat(presented.notAfter())
                .isEqualTo(LOCALHOST.certificate().getNotAfter().toInstant());

        // The admin trusts the certificate shown by the failed test, as the API would from its PEM.
        X509Certificate fromTheAnswer = Certificates.parseOne(presented.pem().getBytes(StandardCharsets.US_ASCII));
        assertThat(refused.presentedCertificate(
                        presented.sha256().replace(":", "").toLowerCase()))
                .contains(fromTheAnswer);
        assertThat(refused.presentedCertificate(Certificates.sha256(OTHER_HOST.certificate())))
                .isEmpty();
        TestResult trusted = test(probe, List.of(fromTheAnswer));
        assertThat(trusted.ok()).isTrue();
        assertThat(trusted.unreadMessages()).isEqualTo(2);

        // Another connection to the same server, with its own (other) trusted certificates, is still refused.
        assertThat(test(probe, List.of()).code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(test(probe, List.of(OTHER_HOST.certificate())).code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
    }

    @Test
    void startTlsUsesTheConnectionsTrustAndLogsInOnlyAfterTls() throws Exception {
        ImapFront front =
                start(ImapFront.startTls(LOCALHOST, greenMail.getImap().getPort()));
        ImapProbe probe = probe(ImapEncryption.STARTTLS, front.port(), "Reports");

        TestResult refused = test(probe, List.of());
        assertThat(refused.stage()).isEqualTo(TestStage.TLS);
        assertThat(refused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(refused.serverCertificates())
                .extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.sha256(LOCALHOST.certificate()));
        assertThat(front.received())
                .contains("STARTTLS")
                .doesNotContain("LOGIN")
                .doesNotContain(PASSWORD);

        TestResult trusted = test(probe, List.of(LOCALHOST.certificate()));
        assertThat(trusted.ok()).isTrue();
        assertThat(trusted.folder()).isEqualTo("Reports");
        assertThat(trusted.unreadMessages()).isZero();
        String received = front.received();
        assertThat(received.lastIndexOf("STARTTLS")).isLessThan(received.indexOf("LOGIN"));
    }

    @Test
    void startTlsOnAServerThatDoesNotOfferItStopsBeforeTheCredentials() throws Exception {
        ImapFront plainServer = start(ImapFront.plain(greenMail.getImap().getPort()));

        TestResult result = test(probe(ImapEncryption.STARTTLS, plainServer.port(), "INBOX"), List.of());

        assertThat(result.ok()).isFalse();
        assertThat(result.stage()).isEqualTo(TestStage.TLS);
        assertThat(result.code()).isEqualTo(TestCodes.TLS_NOT_OFFERED);
        assertThat(result.message()).contains("does not offer STARTTLS").contains("before sending any credentials");
        // What reached the server: a capability check, and no credentials in any form.
        assertThat(plainServer.received())
                .contains("CAPABILITY")
                .doesNotContain("LOGIN")
                .doesNotContain("AUTHENTICATE")
                .doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void certificateForAnotherHostIsAMismatchEvenWhenTrusted() throws Exception {
        ImapFront front =
                start(ImapFront.implicitTls(OTHER_HOST, greenMail.getImap().getPort()));
        ImapProbe probe = probe(ImapEncryption.SSL_TLS, front.port(), "INBOX");

        TestResult untrusted = test(probe, List.of());
        assertThat(untrusted.stage()).isEqualTo(TestStage.TLS);
        assertThat(untrusted.code()).isEqualTo(TestCodes.HOSTNAME_MISMATCH);
        assertThat(untrusted.message())
                .startsWith("The certificate of localhost:" + front.port()
                        + " is for mail.other.example, not for localhost. It is not trusted either.");
        assertThat(untrusted.serverCertificates()).hasSize(1);

        TestResult trusted = test(probe, List.of(OTHER_HOST.certificate()));
        assertThat(trusted.ok()).isFalse();
        assertThat(trusted.code()).isEqualTo(TestCodes.HOSTNAME_MISMATCH);
        assertThat(trusted.message()).doesNotContain("not trusted either").contains("host name is always verified");
    }

    @Test
    void anIpAddressMatchesOnlyAnIpAddressName() throws Exception {
        ImapFront localhost =
                start(ImapFront.implicitTls(LOCALHOST, greenMail.getImap().getPort()));
        ImapFront other =
                start(ImapFront.implicitTls(OTHER_HOST, greenMail.getImap().getPort()));

        TestResult byIp = test(
                new ImapProbe("127.0.0.1", localhost.port(), ImapEncryption.SSL_TLS, USER, PASSWORD, "INBOX"),
                List.of(LOCALHOST.certificate()));
        TestResult mismatch = test(
                new ImapProbe("127.0.0.1", other.port(), ImapEncryption.SSL_TLS, USER, PASSWORD, "INBOX"),
                List.of(OTHER_HOST.certificate()));

        assertThat(byIp.ok()).isTrue();
        assertThat(mismatch.code()).isEqualTo(TestCodes.HOSTNAME_MISMATCH);
    }

    @Test
    void expiredCertificate() throws Exception {
        ImapFront front =
                start(ImapFront.implicitTls(EXPIRED, greenMail.getImap().getPort()));

        TestResult result = test(probe(ImapEncryption.SSL_TLS, front.port(), "INBOX"), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.TLS);
        assertThat(result.code()).isEqualTo(TestCodes.CERTIFICATE_EXPIRED);
        assertThat(result.message()).startsWith("The certificate of localhost:" + front.port() + " expired on ");
        assertThat(result.serverCertificates())
                .extracting(CertificateInfo::sha256)
                .containsExactly(Certificates.sha256(EXPIRED.certificate()));
    }

    @Test
    void unknownAuthorityIsNamedAndTrustingItFromTheChainWorks() throws Exception {
        ImapFront front = start(
                ImapFront.implicitTls(AUTHORITY_SIGNED, greenMail.getImap().getPort()));
        ImapProbe probe = probe(ImapEncryption.SSL_TLS, front.port(), "INBOX");

        TestResult refused = test(probe, List.of());
        assertThat(refused.code()).isEqualTo(TestCodes.UNTRUSTED_CERTIFICATE);
        assertThat(refused.message())
                .isEqualTo("The certificate of localhost:" + front.port()
                        + " is not trusted (issued by CN=mailgate test CA, which is not a trusted authority).");
        assertThat(refused.serverCertificates())
                .extracting(CertificateInfo::subject)
                .containsExactly("CN=localhost", "CN=mailgate test CA");

        X509Certificate authority =
                Certificates.parseOne(refused.serverCertificates().get(1).pem().getBytes(StandardCharsets.US_ASCII));
        assertThat(test(probe, List.of(authority)).ok()).isTrue();
    }

    @Test
    void expiredCertificateOfATrustedAuthorityIsExpiredNotUntrusted() throws Exception {
        TestCertificates.Issued expiredLeaf = TestCertificates.issuedBy(
                AUTHORITY,
                "localhost",
                List.of("localhost"),
                Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofMinutes(5)));
        ImapFront front =
                start(ImapFront.implicitTls(expiredLeaf, greenMail.getImap().getPort()));

        TestResult result =
                test(probe(ImapEncryption.SSL_TLS, front.port(), "INBOX"), List.of(AUTHORITY.certificate()));

        assertThat(result.code()).isEqualTo(TestCodes.CERTIFICATE_EXPIRED);
        assertThat(result.serverCertificates()).hasSize(2);
    }

    @Test
    void anExpiredIssuerIsNamed() throws Exception {
        TestCertificates.Issued oldAuthority = TestCertificates.authority(
                "old CA",
                Instant.now().minus(Duration.ofDays(400)),
                Instant.now().minus(Duration.ofDays(2)));
        TestCertificates.Issued leaf = TestCertificates.issuedBy(
                oldAuthority,
                "localhost",
                List.of("localhost"),
                Instant.now().minus(Duration.ofDays(300)),
                Instant.now().plus(Duration.ofDays(30)));
        ImapFront front = start(ImapFront.implicitTls(leaf, greenMail.getImap().getPort()));

        TestResult result = test(probe(ImapEncryption.SSL_TLS, front.port(), "INBOX"), List.of());

        assertThat(result.code()).isEqualTo(TestCodes.CERTIFICATE_EXPIRED);
        assertThat(result.message())
                .startsWith("The certificate of localhost:" + front.port()
                        + " was issued by CN=old CA, whose certificate expired on ");
    }

    @Test
    void implicitTlsOnAPlainPortSaysSo() {
        TestResult result =
                test(probe(ImapEncryption.SSL_TLS, greenMail.getImap().getPort(), "INBOX"), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.TLS);
        assertThat(result.code()).isEqualTo(TestCodes.TLS_HANDSHAKE_FAILED);
        assertThat(result.message()).contains("does not answer with TLS");
    }

    @Test
    void wrongPassword() {
        String wrong = "wrong-Passw0rd-here";
        TestResult result = test(
                new ImapProbe("localhost", greenMail.getImap().getPort(), ImapEncryption.NONE, USER, wrong, "INBOX"),
                List.of());

        assertThat(result.ok()).isFalse();
        assertThat(result.stage()).isEqualTo(TestStage.AUTH);
        assertThat(result.code()).isEqualTo(TestCodes.AUTH_FAILED);
        assertThat(result.message()).contains("refused the login of " + USER).doesNotContain(wrong);
    }

    @Test
    void wrongPasswordOverTlsSaysTlsWorks() throws Exception {
        ImapFront front =
                start(ImapFront.implicitTls(LOCALHOST, greenMail.getImap().getPort()));

        TestResult result = test(
                new ImapProbe("localhost", front.port(), ImapEncryption.SSL_TLS, USER, "nope-nope", "INBOX"),
                List.of(LOCALHOST.certificate()));

        assertThat(result.code()).isEqualTo(TestCodes.AUTH_FAILED);
        assertThat(result.message()).contains("TLS with the server works");
    }

    @Test
    void missingFolderListsTheFoldersThatExist() {
        TestResult result = test(probe(ImapEncryption.NONE, greenMail.getImap().getPort(), "Phishing"), List.of());

        assertThat(result.ok()).isFalse();
        assertThat(result.stage()).isEqualTo(TestStage.FOLDER);
        assertThat(result.code()).isEqualTo(TestCodes.FOLDER_NOT_FOUND);
        assertThat(result.message()).isEqualTo("The folder Phishing does not exist in the mailbox of " + USER + ".");
        assertThat(result.availableFolders()).containsExactly("INBOX", "Reports");
    }

    @Test
    void unknownHost() {
        TestResult result = test(
                new ImapProbe("no-such-host.invalid", 993, ImapEncryption.SSL_TLS, USER, PASSWORD, "INBOX"), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.DNS);
        assertThat(result.code()).isEqualTo(TestCodes.UNKNOWN_HOST);
        assertThat(result.message()).contains("no-such-host.invalid");
    }

    @Test
    void closedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        TestResult result = test(probe(ImapEncryption.SSL_TLS, port, "INBOX"), List.of());

        assertThat(result.stage()).isEqualTo(TestStage.CONNECT);
        assertThat(result.code()).isEqualTo(TestCodes.CONNECTION_REFUSED);
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheBound() throws Exception {
        // The kernel completes the TCP handshake for the backlog; nobody ever reads or writes.
        ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        servers.add(silent);
        ImapConnectionTester quick = new ImapConnectionTester(Duration.ofSeconds(2));

        for (ImapEncryption encryption : ImapEncryption.values()) {
            long start = System.nanoTime();
            TestResult result = quick.test(probe(encryption, silent.getLocalPort(), "INBOX"), List.of());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.code()).as(encryption.name()).isEqualTo(TestCodes.TIMEOUT);
            assertThat(result.stage()).isEqualTo(TestStage.CONNECT);
            assertThat(result.message()).contains("within 2 seconds");
            assertThat(took).isLessThan(Duration.ofMillis(3500));
            assertClean(result);
        }
    }

    @Test
    void aServerThatDribblesIsStoppedByTheBoundOnTheWholeTestAndItsConnectionClosed() throws Exception {
        DribblingServer dribbling = new DribblingServer();
        servers.add(dribbling);

        long start = System.nanoTime();
        TestResult result = new ImapConnectionTester(Duration.ofSeconds(2))
                .test(probe(ImapEncryption.NONE, dribbling.port(), "INBOX"), List.of());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.code()).isEqualTo(TestCodes.TIMEOUT);
        assertThat(took).isLessThan(Duration.ofMillis(3500));
        assertThat(dribbling.clientGone.await(2, TimeUnit.SECONDS))
                .as("the test closed its connection")
                .isTrue();
    }

    @Test
    void aTimeoutAboveFifteenSecondsIsCut() {
        assertThat(new ImapConnectionTester(Duration.ofMinutes(5)))
                .extracting("timeout")
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void probeToStringHidesThePassword() {
        assertThat(probe(ImapEncryption.SSL_TLS, 993, "INBOX").toString())
                .doesNotContain(PASSWORD)
                .contains("****");
    }

    private ImapProbe probe(ImapEncryption encryption, int port, String folder) {
        return new ImapProbe("localhost", port, encryption, USER, PASSWORD, folder);
    }

    private TestResult test(ImapProbe probe, List<X509Certificate> trusted) {
        TestResult result = tester.test(probe, trusted);
        assertClean(result);
        return result;
    }

    /** No answer ever carries a stack trace or the password. */
    static void assertClean(TestResult result) {
        assertThat(result.message())
                .isNotBlank()
                .doesNotContain(PASSWORD)
                .doesNotContainPattern("\\bat [\\w.$]+\\(")
                .doesNotContain("Exception");
    }

    private ImapFront start(ImapFront front) {
        servers.add(front);
        return front;
    }
}

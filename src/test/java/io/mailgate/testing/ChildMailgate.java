package io.mailgate.testing;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * What the tests that run mailgate in a JVM of its own (kill -9, the launcher, cluster nodes) share: a port for it,
 * its API called as the admin with HTTP Basic, a small report to deliver, and what the IMAP server in the test's JVM
 * has marked \Seen.
 */
public final class ChildMailgate {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ChildMailgate() {}

    /** {@code path} from the root, e.g. {@code /api/v1/orgs/default/connections}; JSON {@code body} or null. */
    public static HttpResponse<String> callAsAdmin(
            int port, String adminPassword, String method, String path, String body) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(20))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The Message-IDs of the mailbox's messages that carry \Seen on the server. */
    public static Set<String> seenMessageIds(GreenMail mail, GreenMailUser mailbox) throws Exception {
        Set<String> seen = new HashSet<>();
        for (StoredMessage message :
                mail.getManagers().getImapHostManager().getInbox(mailbox).getMessages()) {
            if (message.getFlags().contains(Flags.Flag.SEEN)) {
                seen.add(message.getMimeMessage().getMessageID());
            }
        }
        return seen;
    }

    /** A plain-text report with one link ({@code http://bad<i>.example/login}), as a reporting button sends it. */
    public static MimeMessage report(String messageId, String subject, int i) throws Exception {
        String raw = "From: Reporter <reporter@example.org>\r\nTo: soc@example.test\r\nSubject: " + subject + "\r\n"
                + "Message-ID: " + messageId + "\r\nDate: Fri, 27 Nov 2026 10:15:30 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nSuspicious link http://bad" + i
                + ".example/login\r\n";
        return new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    /** A TCP port free on this machine now, for a web server or a mock service the test starts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

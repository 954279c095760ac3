package io.mailgate.connectiontest;

import io.mailgate.imap.ImapEncryption;
import io.mailgate.imap.ImapSessions;
import io.mailgate.tls.CapturingTrustManager;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/** One run of an IMAP connection test; lives on the {@link Deadline}'s thread. */
final class ImapAttempt {

    private static final int MAX_LISTED_FOLDERS = 200;

    private final ImapProbe probe;
    private final CapturingTrustManager capture;
    private final Duration timeout;
    private final Endpoint endpoint;
    private volatile TestStage progress = TestStage.DNS;
    private final TrackedSockets sockets = new TrackedSockets();
    private volatile Store store;

    ImapAttempt(ImapProbe probe, List<X509Certificate> trusted, Duration timeout) {
        this.probe = probe;
        this.capture = CapturingTrustManager.forConnection(trusted);
        this.timeout = timeout;
        this.endpoint = Endpoint.server(probe.host(), probe.port());
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The stage the attempt is in; what TLS the capture saw tells how far a single store.connect() got. */
    TestStage progress() {
        if (progress == TestStage.CONNECT && !capture.presentedChain().isEmpty()) {
            return capture.refused() ? TestStage.TLS : TestStage.AUTH;
        }
        return progress;
    }

    TestResult run() {
        try {
            InetAddress.getAllByName(probe.host());
        } catch (UnknownHostException e) {
            return Failures.unknownHost(endpoint);
        }
        progress = TestStage.CONNECT;
        try {
            store = trackedSession().getStore();
            store.connect(probe.host(), probe.port(), probe.username(), probe.password());
        } catch (AuthenticationFailedException e) {
            return authFailed(e);
        } catch (MessagingException e) {
            return connectFailed(e);
        } finally {
            if (store != null && !store.isConnected()) {
                finish();
            }
        }
        try {
            progress = TestStage.FOLDER;
            return openFolder();
        } catch (MessagingException e) {
            return Failures.classify(e, endpoint, capture, progress(), timeout);
        } finally {
            finish();
        }
    }

    /**
     * The route's session, with the same socket factories wrapped so the deadline can close what they open:
     * the plain one for IMAP (and STARTTLS before TLS), the TLS one for implicit TLS and the STARTTLS upgrade.
     */
    private Session trackedSession() {
        Session session = ImapSessions.create(probe.encryption(), capture.sslContext(), timeout);
        String prefix = "mail." + probe.encryption().protocol() + ".";
        Properties properties = session.getProperties();
        if (probe.encryption() != ImapEncryption.SSL_TLS) {
            properties.put(prefix + "socketFactory", sockets.plain(SocketFactory.getDefault()));
        }
        if (properties.get(prefix + "ssl.socketFactory") instanceof SSLSocketFactory tls) {
            properties.put(prefix + "ssl.socketFactory", sockets.tls(tls));
        }
        return session;
    }

    private TestResult connectFailed(MessagingException e) {
        if (Failures.causes(e).stream().anyMatch(ImapAttempt::isStartTlsMissing)) {
            return TestResult.failure(
                    TestStage.TLS,
                    TestCodes.TLS_NOT_OFFERED,
                    endpoint.describe()
                            + " does not offer STARTTLS, so the test stopped before sending any credentials."
                            + " Choose SSL/TLS (usually port 993) or ask the mail administrator to enable STARTTLS.");
        }
        return Failures.classify(e, endpoint, capture, progress(), timeout);
    }

    private static boolean isStartTlsMissing(Throwable t) {
        // Jakarta Mail's words when mail.imap.starttls.required meets a server without STARTTLS.
        return t.getMessage() != null && t.getMessage().contains("STARTTLS required but not supported");
    }

    private TestResult authFailed(AuthenticationFailedException e) {
        String said = e.getMessage() == null || e.getMessage().isBlank()
                ? ""
                : " The server said: " + Failures.sentence(Failures.detail(e));
        String tls = probe.encryption() == ImapEncryption.NONE ? "" : " TLS with the server works.";
        return TestResult.failure(
                TestStage.AUTH,
                TestCodes.AUTH_FAILED,
                endpoint.describe()
                        + " refused the login of " + probe.username() + ". Check the email address and the password."
                        + said + tls);
    }

    private TestResult openFolder() throws MessagingException {
        Folder folder = store.getFolder(probe.folder());
        if (!folder.exists()) {
            return folderNotFound(" does not exist in the mailbox of " + probe.username() + ".");
        }
        if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0) {
            return folderNotFound(" only holds other folders, no messages.");
        }
        try {
            // READ_ONLY sends EXAMINE: the test proves the folder can be opened without changing any flag.
            folder.open(Folder.READ_ONLY);
        } catch (FolderNotFoundException e) {
            // Deleted between the check and the opening; the same answer as if it had never been there.
            return folderNotFound(" does not exist in the mailbox of " + probe.username() + ".");
        }
        try {
            return TestResult.success(folder.getFullName(), folder.getUnreadMessageCount());
        } finally {
            folder.close(false);
        }
    }

    private TestResult folderNotFound(String why) throws MessagingException {
        return TestResult.failure(TestStage.FOLDER, TestCodes.FOLDER_NOT_FOUND, "The folder " + probe.folder() + why)
                .withAvailableFolders(folderNames());
    }

    private List<String> folderNames() throws MessagingException {
        List<String> names = new ArrayList<>();
        for (Folder f : store.getDefaultFolder().list("*")) {
            if ((f.getType() & Folder.HOLDS_MESSAGES) != 0) {
                names.add(f.getFullName());
            }
        }
        names.sort(String.CASE_INSENSITIVE_ORDER);
        return names.size() > MAX_LISTED_FOLDERS ? names.subList(0, MAX_LISTED_FOLDERS) : names;
    }

    /** Says goodbye to the server (LOGOUT), then makes sure no socket stays open. */
    private void finish() {
        closeStore();
        sockets.closeAll();
    }

    /**
     * Stops the attempt from another thread when the deadline passes: the sockets first, because closing the
     * store waits for the protocol lock the stuck attempt holds.
     */
    void abort() {
        sockets.closeAll();
        closeStore();
    }

    private void closeStore() {
        Store s = store;
        if (s != null) {
            try {
                s.close();
            } catch (MessagingException | RuntimeException ignored) {
                // The connection is being discarded; a failure to say goodbye changes nothing.
            }
        }
    }

    @Override
    public String toString() {
        return "ImapAttempt[" + probe + ", stage=" + progress + "]";
    }
}

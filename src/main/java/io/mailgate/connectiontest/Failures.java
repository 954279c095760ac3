package io.mailgate.connectiontest;

import io.mailgate.tls.CapturingTrustManager;
import io.mailgate.tls.CertificateDiagnosis;
import io.mailgate.tls.Certificates;
import io.mailgate.tls.HostnameMatcher;
import jakarta.mail.MessagingException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Turns what went wrong on the wire (a Jakarta Mail exception, a socket or TLS exception, whatever wraps
 * it) into a code and a sentence an admin can act on. Only messages built here reach the answer, plus at most
 * one line of a server's or the JDK's own words: never a stack trace.
 */
final class Failures {

    private static final int MAX_DETAIL = 200;

    private Failures() {}

    static TestResult unknownHost(Endpoint endpoint) {
        return TestResult.failure(
                TestStage.DNS,
                TestCodes.UNKNOWN_HOST,
                "The host name " + endpoint.host() + (endpoint.isProxy() ? " of the proxy" : "")
                        + " could not be resolved. Check the spelling and the DNS of this server.");
    }

    static TestResult timeout(Endpoint endpoint, TestStage stage, Duration bound) {
        String what = stage == TestStage.CONNECT || stage == TestStage.DNS
                ? "No answer from " + endpoint.describe()
                : endpoint.atStart() + " did not complete the " + stage.name() + " stage";
        return TestResult.failure(
                stage,
                TestCodes.TIMEOUT,
                what + " within " + seconds(bound) + ". Check the host, the port and any firewall in between.");
    }

    /**
     * Classifies a network or TLS failure. Certificate problems come first because the handshake exception
     * alone does not say what the chain was; the capturing trust manager does.
     *
     * @param progress the stage the test had reached when it failed, for failures that can happen at any stage
     */
    static TestResult classify(
            Throwable failure, Endpoint endpoint, CapturingTrustManager capture, TestStage progress, Duration bound) {
        List<Throwable> causes = causes(failure);
        Optional<TestResult> certificate = certificateProblem(causes, endpoint, capture);
        if (certificate.isPresent()) {
            return certificate.get();
        }
        String where = endpoint.describe();
        String whereAtStart = endpoint.atStart();
        if (find(causes, UnknownHostException.class) != null) {
            return unknownHost(endpoint);
        }
        if (find(causes, SocketTimeoutException.class) != null) {
            return timeout(endpoint, progress, bound);
        }
        if (find(causes, ConnectException.class) != null) {
            return TestResult.failure(
                    TestStage.CONNECT,
                    TestCodes.CONNECTION_REFUSED,
                    "The connection to " + where + " was refused: nothing listens on that port, or a firewall "
                            + "rejects it. Check the host and the port.");
        }
        if (find(causes, NoRouteToHostException.class) != null) {
            return TestResult.failure(
                    TestStage.CONNECT,
                    TestCodes.HOST_UNREACHABLE,
                    whereAtStart + " cannot be reached from mailgate (no route to host).");
        }
        SSLException ssl = find(causes, SSLException.class);
        if (ssl != null) {
            return handshakeFailed(endpoint, ssl);
        }
        if (find(causes, EOFException.class) != null || find(causes, SocketException.class) != null) {
            String hint = endpoint.isProxy() ? " Check the protocol of the proxy (HTTP or HTTPS) and its port." : "";
            return TestResult.failure(
                    progress,
                    TestCodes.CONNECTION_CLOSED,
                    whereAtStart + " closed the connection during the " + progress.name() + " stage." + hint);
        }
        return TestResult.failure(
                progress,
                TestCodes.SERVER_ERROR,
                whereAtStart + " answered unexpectedly during the " + progress.name() + " stage: "
                        + sentence(detail(failure)));
    }

    private static Optional<TestResult> certificateProblem(
            List<Throwable> causes, Endpoint endpoint, CapturingTrustManager capture) {
        List<X509Certificate> chain = capture.presentedChain();
        boolean tlsTrouble = capture.refused()
                || find(causes, SSLException.class) != null
                || causes.stream().anyMatch(Failures::isIdentityFailure);
        if (chain.isEmpty() || !tlsTrouble) {
            return Optional.empty();
        }
        Optional<CertificateDiagnosis> diagnosis =
                CertificateDiagnosis.validityOrHostname(chain, endpoint.host(), Instant.now());
        if (diagnosis.isEmpty() && !capture.refused()) {
            return Optional.empty();
        }
        CertificateDiagnosis found = diagnosis.orElseGet(() -> CertificateDiagnosis.untrusted(chain));
        return Optional.of(certificate(endpoint, found, found.certificate() != chain.get(0), capture.chainTrusted())
                .withServerCertificates(Certificates.describe(chain)));
    }

    /** Jakarta Mail's own host name check, when it runs after the handshake rather than inside it. */
    private static boolean isIdentityFailure(Throwable t) {
        String m = t.getMessage();
        return m != null
                && (m.contains("Server is not trusted")
                        || m.contains("Server identity does not match")
                        || m.contains("Can't verify identity of server"));
    }

    private static TestResult certificate(
            Endpoint endpoint, CertificateDiagnosis diagnosis, boolean aboutAnIssuer, boolean chainTrusted) {
        String of = "The certificate of " + endpoint.describe();
        X509Certificate c = diagnosis.certificate();
        return switch (diagnosis.problem()) {
            case EXPIRED ->
                failure(
                        endpoint,
                        TestCodes.CERTIFICATE_EXPIRED,
                        aboutAnIssuer
                                ? of + " was issued by " + subject(c) + ", whose certificate expired on "
                                        + date(c.getNotAfter()) + "."
                                : of + " expired on " + date(c.getNotAfter())
                                        + ". The server needs a renewed certificate.");
            case NOT_YET_VALID ->
                failure(
                        endpoint,
                        TestCodes.CERTIFICATE_EXPIRED,
                        (aboutAnIssuer
                                        ? of + " was issued by " + subject(c)
                                                + ", whose certificate is not valid before "
                                        : of + " is not valid before ")
                                + date(c.getNotBefore())
                                + ". Check the clocks of the server and of mailgate.");
            case HOSTNAME_MISMATCH ->
                failure(
                        endpoint,
                        TestCodes.HOSTNAME_MISMATCH,
                        of + " is for " + String.join(", ", firstNames(c)) + ", not for " + endpoint.host() + "."
                                + (chainTrusted ? "" : " It is not trusted either.")
                                + " Trusting it does not help, the host name is always verified: use a host name the"
                                + " certificate lists, or have the server present a certificate for " + endpoint.host()
                                + ".");
            case SELF_SIGNED ->
                failure(endpoint, TestCodes.UNTRUSTED_CERTIFICATE, of + " is not trusted (self-signed).");
            case UNKNOWN_ISSUER ->
                failure(
                        endpoint,
                        TestCodes.UNTRUSTED_CERTIFICATE,
                        of + " is not trusted (issued by " + subject(c) + ", which is not a trusted authority).");
        };
    }

    private static TestResult failure(Endpoint endpoint, String code, String message) {
        return TestResult.failure(endpoint.tlsStage(), code, message);
    }

    private static TestResult handshakeFailed(Endpoint endpoint, SSLException ssl) {
        String m = ssl.getMessage() == null ? "" : ssl.getMessage();
        if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection")) {
            return failure(
                    endpoint,
                    TestCodes.TLS_HANDSHAKE_FAILED,
                    endpoint.atStart()
                            + " does not answer with TLS. Check the port and the encryption method"
                            + (endpoint.isProxy()
                                    ? " of the proxy (HTTP or HTTPS)."
                                    : " (SSL/TLS is usually port 993, STARTTLS 143)."));
        }
        return failure(
                endpoint,
                TestCodes.TLS_HANDSHAKE_FAILED,
                "The TLS handshake with " + endpoint.describe() + " failed: " + sentence(detail(ssl)));
    }

    private static List<String> firstNames(X509Certificate c) {
        List<String> names = HostnameMatcher.namesOf(c);
        if (names.isEmpty()) {
            return List.of("no host name at all");
        }
        return names.size() > 5 ? List.of(String.join(", ", names.subList(0, 5)), "…") : names;
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String date(Date date) {
        return date.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0
                ? (millis / 1000) + (millis == 1000 ? " second" : " seconds")
                : String.format(Locale.ROOT, "%.1f seconds", millis / 1000.0);
    }

    /** One line of someone else's words, shortened: enough to recognize, never a trace. */
    static String detail(Throwable t) {
        Throwable deepest = t;
        String message = null;
        for (Throwable c : causes(t)) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
                deepest = c;
            }
        }
        if (message == null) {
            return deepest.getClass().getSimpleName();
        }
        String line = message.lines().findFirst().orElse("").trim();
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "…" : line;
    }

    /** Ends someone else's words with a full stop, so the next sentence of ours reads as one. */
    static String sentence(String words) {
        return words.endsWith(".") || words.endsWith("!") || words.endsWith("?") ? words : words + ".";
    }

    static List<Throwable> causes(Throwable failure) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = failure; t != null && causes.size() < 20 && !causes.contains(t); t = next(t)) {
            causes.add(t);
        }
        return causes;
    }

    private static Throwable next(Throwable t) {
        // MessagingException keeps its cause in getNextException as well as getCause; both are the same chain.
        if (t.getCause() == null && t instanceof MessagingException m) {
            return m.getNextException();
        }
        return t.getCause();
    }

    static <T extends Throwable> T find(List<Throwable> causes, Class<T> type) {
        return causes.stream()
                .filter(type::isInstance)
                .map(type::cast)
                .findFirst()
                .orElse(null);
    }
}

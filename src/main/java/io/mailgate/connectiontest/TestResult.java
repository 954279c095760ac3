package io.mailgate.connectiontest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mailgate.tls.CertificateInfo;
import io.mailgate.tls.Certificates;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The answer to "does this connection work?", the same for every protocol. On failure {@code stage} is where
 * the test stopped and {@code code} says why (see {@link TestCodes}); on success {@code stage} is the last one
 * passed. {@code serverCertificates} is the chain presented when a certificate was the problem, so the admin
 * can trust it; when {@code stage} is {@link TestStage#PROXY} the chain is the proxy's. Never holds a stack
 * trace or a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestResult(
        boolean ok,
        TestStage stage,
        String code,
        String message,
        String folder,
        Integer unreadMessages,
        List<String> availableFolders,
        List<CertificateInfo> serverCertificates) {

    public TestResult {
        availableFolders = availableFolders == null ? null : List.copyOf(availableFolders);
        serverCertificates = serverCertificates == null ? null : List.copyOf(serverCertificates);
    }

    public static TestResult success(String folder, int unread) {
        String message = "The folder " + folder + " was opened; it holds " + unread + " unread message"
                + (unread == 1 ? "." : "s.");
        return new TestResult(true, TestStage.FOLDER, null, message, folder, unread, null, null);
    }

    /** A successful test that ends at {@code stage}, e.g. a TLS probe of an endpoint. */
    public static TestResult passed(TestStage stage, String message) {
        return new TestResult(true, stage, null, message, null, null, null, null);
    }

    public static TestResult failure(TestStage stage, String code, String message) {
        return new TestResult(false, stage, code, message, null, null, null, null);
    }

    public TestResult withServerCertificates(List<CertificateInfo> certificates) {
        return new TestResult(ok, stage, code, message, folder, unreadMessages, availableFolders, certificates);
    }

    public TestResult withAvailableFolders(List<String> folders) {
        return new TestResult(ok, stage, code, message, folder, unreadMessages, folders, serverCertificates);
    }

    /**
     * A certificate of this (failed) test's chain, by its SHA-256 fingerprint in any usual notation: how an
     * admin trusts "the certificate from the last failed test" without uploading it.
     */
    public Optional<X509Certificate> presentedCertificate(String sha256) {
        if (serverCertificates == null || sha256 == null) {
            return Optional.empty();
        }
        String wanted = Certificates.normalizeFingerprint(sha256);
        return serverCertificates.stream()
                .filter(info -> info.sha256().equals(wanted))
                .findFirst()
                .map(info -> Certificates.parseOne(info.pem().getBytes(StandardCharsets.US_ASCII)));
    }

    /** Replaces every occurrence of {@code secret} in the message: a last guard, messages are built without secrets. */
    TestResult redacting(String secret) {
        if (secret == null || secret.isEmpty() || message == null || !message.contains(secret)) {
            return this;
        }
        return new TestResult(
                ok,
                stage,
                code,
                message.replace(secret, "****"),
                folder,
                unreadMessages,
                availableFolders,
                serverCertificates);
    }
}

package io.mailgate.decrypt;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;

/** The files made by src/test/resources/decrypt/make-fixtures.sh, and ways to read them. */
final class Fixtures {

    static final char[] PASSWORD = "changeit".toCharArray();

    private Fixtures() {}

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/decrypt/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + name + "; run make-fixtures.sh");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(path(name));
    }

    static X509Certificate certificate(String name) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(path(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    // Unlocking is slow on purpose (PBKDF2, OpenPGP S2K: seconds for GnuPG's default count), so each
    // fixture key is validated once per test run.
    private static ValidatedKey rsaKey;
    private static ValidatedKey ecKey;
    private static ValidatedKey pgpKey;

    static synchronized ValidatedKey rsaKey() throws Exception {
        if (rsaKey == null) {
            rsaKey = new DecryptionKeyValidator().validatePkcs12(bytes("keys/recipient-rsa.p12"), PASSWORD);
        }
        return rsaKey;
    }

    static synchronized ValidatedKey ecKey() throws Exception {
        if (ecKey == null) {
            ecKey = new DecryptionKeyValidator().validatePkcs12(bytes("keys/recipient-ec.p12"), PASSWORD);
        }
        return ecKey;
    }

    static synchronized ValidatedKey pgpKey() throws Exception {
        if (pgpKey == null) {
            pgpKey = new DecryptionKeyValidator().validatePgp(bytes("keys/pgp-secret.asc"), PASSWORD);
        }
        return pgpKey;
    }

    /** Our keys, trusting the test root CA for signatures. */
    static DecryptionKeys allKeys() throws Exception {
        return DecryptionKeys.of(rsaKey(), ecKey(), pgpKey())
                .withTrustedCertificates(List.of(certificate("keys/root.crt")));
    }

    static MimeMessage parse(Path file) throws IOException, MessagingException {
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
            message.getContent(); // forces the whole structure to be read while the stream is open
            return message;
        }
    }
}

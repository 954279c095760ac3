package io.mailgate.parse;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;

/**
 * Opens the decoded content of a part as a fresh stream over the shared file.
 *
 * <p>We decode the Content-Transfer-Encoding ourselves rather than through the part's DataHandler:
 * Jakarta Mail refuses unknown encodings (we fall back to the raw bytes, which is what a mail client
 * shows) and leaves base64-encoded message/rfc822 parts encoded unless a JVM-wide system property is
 * set. Base64, by far the most common, goes through {@link LenientBase64InputStream}.
 */
final class PartContent {

    private static final Set<String> IDENTITY = Set.of("7bit", "8bit", "binary");

    private PartContent() {}

    static InputStream open(MimePart part, PartInfo info) throws IOException {
        InputStream raw = raw(part);
        String encoding = info.encoding() == null
                ? null
                : info.encoding().split("[\\s;(]", 2)[0].toLowerCase(Locale.ROOT);
        if (encoding == null || encoding.isEmpty() || IDENTITY.contains(encoding) || info.isMultipart()) {
            return raw;
        }
        if (encoding.equals("base64")) {
            return new LenientBase64InputStream(raw);
        }
        try {
            return MimeUtility.decode(raw, encoding);
        } catch (MessagingException unknownEncoding) {
            return raw;
        }
    }

    private static InputStream raw(MimePart part) throws IOException {
        try {
            if (part instanceof MimeBodyPart body) {
                return body.getRawInputStream();
            }
            if (part instanceof MimeMessage message) {
                return message.getRawInputStream();
            }
        } catch (MessagingException e) {
            throw new IOException("cannot open the content of a part: " + e.getMessage(), e);
        }
        throw new IOException("unexpected part type " + part.getClass().getName());
    }
}

package io.mailgate.parse;

import java.util.Locale;

/**
 * A message found inside another one, parsed into a {@link ParsedEmail} of its own.
 *
 * @param format          how it was carried
 * @param foundIn         where: {@code attachment:<name>}, or {@code textBody} for an inline forward
 * @param attachmentIndex its index in the containing message's {@link ParsedEmail#attachments()}, or -1
 *                        for an inline forward
 * @param message         the parsed message; for an inline forward only what the forwarded header lines
 *                        and text say (rawSize and hashes are of that text, UTF-8 encoded)
 */
public record AttachedMessage(Format format, String foundIn, int attachmentIndex, ParsedEmail message) {

    /** How a message was carried inside another. */
    public enum Format {
        /** message/rfc822 (or message/global) part, or an attached .eml file. */
        RFC822,
        /** Outlook .msg file (compound file, read with Apache POI HSMF). */
        OUTLOOK_MSG,
        /** TNEF winmail.dat of Outlook rich text mail (read with Apache POI HMEF). */
        TNEF,
        /** Quoted in the text body under a "Forwarded message" / "Original Message" separator. */
        FORWARDED_INLINE;

        /** The format of an attachment that carries a message, or null for any other attachment. */
        static Format of(String mimeType, String fileName) {
            String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
            if (mimeType.equals("message/rfc822") || mimeType.equals("message/global") || name.endsWith(".eml")) {
                return RFC822;
            }
            if (mimeType.equals("application/vnd.ms-outlook") || name.endsWith(".msg")) {
                return OUTLOOK_MSG;
            }
            if (mimeType.equals("application/ms-tnef")
                    || mimeType.equals("application/vnd.ms-tnef")
                    || name.equals("winmail.dat")) {
                return TNEF;
            }
            return null;
        }
    }
}

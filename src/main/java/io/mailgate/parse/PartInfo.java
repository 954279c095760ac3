package io.mailgate.parse;

import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the walk needs to know about one part, read tolerantly from its headers: a malformed
 * Content-Type or Content-Disposition degrades to a best guess rather than an exception.
 *
 * @param mimeType    lower-case "type/subtype"; text/plain when absent or unparseable (RFC 2045 5.2)
 * @param charset     the charset parameter, or null
 * @param disposition lower-case "inline" / "attachment", or null
 * @param fileName    RFC 2231 and RFC 2047 decoded file name (Content-Disposition filename, else
 *                    Content-Type name), or null
 * @param contentId   Content-ID, or null
 * @param encoding    Content-Transfer-Encoding, lower-case, or null
 */
record PartInfo(
        String mimeType, String charset, String disposition, String fileName, String contentId, String encoding) {

    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");
    private static final Pattern CHARSET = Pattern.compile("(?i)\\bcharset\\s*=\\s*\"?([^\";\\s]+)");
    private static final Pattern FILENAME = Pattern.compile("(?i)\\b(?:file)?name\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");

    static PartInfo of(HeaderBlock headers) {
        String contentTypeValue = headers.first("Content-Type");
        String dispositionValue = headers.first("Content-Disposition");

        String mimeType = "text/plain";
        String charset = null;
        String typeName = null;
        if (contentTypeValue != null && !contentTypeValue.isBlank()) {
            try {
                ContentType type = new ContentType(contentTypeValue);
                mimeType = type.getBaseType().toLowerCase(Locale.ROOT);
                charset = type.getParameter("charset");
                typeName = type.getParameter("name");
            } catch (ParseException | RuntimeException malformed) {
                String base = contentTypeValue.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
                if (MEDIA_TYPE.matcher(base).matches()) {
                    mimeType = base;
                }
                charset = group(CHARSET, contentTypeValue);
                typeName = group(FILENAME, contentTypeValue);
            }
        }

        String disposition = null;
        String dispositionName = null;
        if (dispositionValue != null && !dispositionValue.isBlank()) {
            try {
                ContentDisposition cd = new ContentDisposition(dispositionValue);
                disposition = cd.getDisposition();
                dispositionName = cd.getParameter("filename");
            } catch (ParseException | RuntimeException malformed) {
                disposition = dispositionValue.split(";", 2)[0].strip();
                dispositionName = group(FILENAME, dispositionValue);
            }
            disposition = disposition == null || disposition.isBlank() ? null : disposition.toLowerCase(Locale.ROOT);
        }

        String fileName =
                cleanFileName(dispositionName != null && !dispositionName.isBlank() ? dispositionName : typeName);
        String encoding = headers.first("Content-Transfer-Encoding");
        encoding =
                encoding == null || encoding.isBlank() ? null : encoding.strip().toLowerCase(Locale.ROOT);
        String contentId = headers.first("Content-ID");
        contentId = contentId == null || contentId.isBlank() ? null : contentId.strip();
        return new PartInfo(mimeType, charset, disposition, fileName, contentId, encoding);
    }

    boolean isMultipart() {
        return mimeType.startsWith("multipart/");
    }

    /** A whole email carried as a part: counted as one attachment, not walked into. */
    boolean isMessage() {
        return mimeType.equals("message/rfc822") || mimeType.equals("message/global");
    }

    boolean isAttachmentDisposition() {
        return "attachment".equals(disposition);
    }

    /**
     * RFC 2047 inside a quoted file name is not allowed but is what Outlook and Gmail send, so decode
     * it. Raw 8-bit names are already decoded by {@link HeaderBlockReader}.
     */
    private static String cleanFileName(String name) {
        if (name == null) {
            return null;
        }
        String decoded = EncodedWords.decode(name).strip();
        StringBuilder clean = new StringBuilder(decoded.length());
        decoded.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        return clean.length() == 0 ? null : clean.toString();
    }

    private static String group(Pattern pattern, String value) {
        Matcher m = pattern.matcher(value);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }
}

package io.mailgate.parse;

/**
 * An attachment, described without holding its bytes; {@link MimeParser#copyAttachment} streams them.
 *
 * @param index       position among the message's attachments, from 0, in document order
 * @param name        file name from the message (RFC 2231 / RFC 2047 decoded); for a message/rfc822
 *                    part without one, its subject + ".eml"; otherwise a made-up "untitled-{index}.{ext}"
 * @param contentType lower-case media type without parameters, e.g. {@code application/pdf}
 * @param size        decoded size in bytes
 * @param inline      true for parts meant to be shown in the body (inline images, Content-ID parts)
 */
public record Attachment(
        int index,
        String name,
        String contentType,
        long size,
        String sha256,
        String sha1,
        String md5,
        boolean inline) {}

package io.mailgate.parse;

import java.time.Instant;
import java.util.List;

/**
 * A parsed message. Immutable; built only by {@link MimeParser}.
 *
 * @param messageId          normalised {@code <id@host>}, or null when absent
 * @param inReplyTo          first msg-id of In-Reply-To, or null
 * @param references         msg-ids of References, in order
 * @param subject            RFC 2047 decoded, or null when absent
 * @param date               from the Date header; null when missing or unparseable
 * @param headers            every header of the message in order, duplicates kept, values unfolded
 * @param textBody           decoded text/plain body (several inline text parts are joined), or null
 * @param htmlBody           decoded text/html body, or null
 * @param contentFingerprint hex SHA-256 that is equal for redeliveries of one message and differs for a
 *                           different message reusing its Message-ID; see {@code ContentFingerprint}
 * @param truncated          a body was cut at {@link ParseLimits#maxTextChars()} or artifacts were capped
 * @param rawSize            size of the parsed file in bytes
 * @param rawSha256          hex SHA-256 of the parsed file's bytes
 * @param attachedMessages   messages carried inside this one, parsed into the same shape, in document
 *                           order: message/rfc822 parts and .eml attachments, Outlook .msg attachments,
 *                           TNEF winmail.dat, and an inline-forwarded message found in the text body.
 *                           Their artifacts are also in {@link #artifacts()}, {@code foundIn} prefixed
 *                           with where the message was ({@code attachment:Invoice.eml/header:From})
 * @param reported           the message a user reports when this is a phishing report: the first
 *                           attached .eml/.msg/message/rfc822, else an inline-forwarded message; null when
 *                           there is none (then this message is itself the one to look at)
 */
public record ParsedEmail(
        String messageId,
        String inReplyTo,
        List<String> references,
        String subject,
        EmailAddress from,
        List<EmailAddress> to,
        List<EmailAddress> cc,
        List<EmailAddress> replyTo,
        Instant date,
        List<Header> headers,
        String textBody,
        String htmlBody,
        List<Attachment> attachments,
        List<Artifact> artifacts,
        String contentFingerprint,
        boolean truncated,
        long rawSize,
        String rawSha256,
        List<AttachedMessage> attachedMessages,
        AttachedMessage reported) {

    public ParsedEmail {
        references = List.copyOf(references);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        replyTo = List.copyOf(replyTo);
        headers = List.copyOf(headers);
        attachments = List.copyOf(attachments);
        artifacts = List.copyOf(artifacts);
        attachedMessages = List.copyOf(attachedMessages);
    }

    /** The reported original if there is one, else this message: what an analyst investigates. */
    public ParsedEmail original() {
        return reported == null ? this : reported.message().original();
    }
}

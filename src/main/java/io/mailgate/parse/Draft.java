package io.mailgate.parse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message's parts gathered by whichever reader understood it (MIME, Outlook .msg, TNEF, an inline
 * forward), turned into a {@link ParsedEmail} the same way for all: artifacts, inline forwards and the
 * reported message are decided here.
 */
final class Draft {

    String messageId;
    String inReplyTo;
    List<String> references = List.of();
    String subject;
    List<EmailAddress> from = List.of();
    List<EmailAddress> to = List.of();
    List<EmailAddress> cc = List.of();
    List<EmailAddress> replyTo = List.of();
    Instant date;
    List<Header> headers = List.of();
    String textBody;
    String htmlBody;
    final List<Attachment> attachments = new ArrayList<>();
    final List<Boolean> namedByMessage = new ArrayList<>();
    final List<AttachedMessage> attached = new ArrayList<>();
    String contentFingerprint;
    boolean truncated;
    long rawSize;
    String rawSha256;

    /** Envelope fields from a header block. */
    void envelope(HeaderBlock block) {
        headers = block.headers();
        messageId = EnvelopeFields.firstMessageId(block.first("Message-ID"));
        inReplyTo = EnvelopeFields.firstMessageId(block.first("In-Reply-To"));
        references = EnvelopeFields.messageIds(String.join(" ", block.all("References")));
        subject = EncodedWords.decode(block.first("Subject"));
        from = EnvelopeFields.addresses(block.all("From"));
        to = EnvelopeFields.addresses(block.all("To"));
        cc = EnvelopeFields.addresses(block.all("Cc"));
        replyTo = EnvelopeFields.addresses(block.all("Reply-To"));
        date = EnvelopeFields.date(block.first("Date"));
    }

    private List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                values.add(header.value());
            }
        }
        return values;
    }

    ParsedEmail build(ParseRun run, int depth) throws MalformedEmailException {
        ArtifactExtractor artifacts = new ArtifactExtractor(run.filter());
        artifacts.addresses("From", from);
        artifacts.addresses("To", to);
        artifacts.addresses("Cc", cc);
        artifacts.addresses("Reply-To", replyTo);
        artifacts.received(all("Received"));
        List<String> originating = all("X-Originating-IP");
        if (!originating.isEmpty()) {
            artifacts.originatingIpHeader(originating.get(0));
        }
        artifacts.authenticationResults(all("Authentication-Results"));
        artifacts.text("subject", subject);
        artifacts.text("textBody", textBody);
        artifacts.html("htmlBody", htmlBody);
        for (int i = 0; i < attachments.size(); i++) {
            artifacts.attachment(attachments.get(i), namedByMessage.get(i));
        }
        if (textBody != null && depth < run.limits().maxDepth()) {
            Draft forwarded = InlineForwards.find(textBody);
            if (forwarded != null) {
                attached.add(new AttachedMessage(
                        AttachedMessage.Format.FORWARDED_INLINE, "textBody", -1, forwarded.build(run, depth + 1)));
            }
        }
        AttachedMessage reported = null;
        for (AttachedMessage message : attached) {
            artifacts.nested(message.foundIn(), message.message().artifacts());
            if (reported == null
                    && (message.format() == AttachedMessage.Format.RFC822
                            || message.format() == AttachedMessage.Format.OUTLOOK_MSG)) {
                reported = message;
            }
        }
        if (reported == null) {
            for (AttachedMessage message : attached) {
                if (message.format() == AttachedMessage.Format.FORWARDED_INLINE) {
                    reported = message;
                } else if (message.format() == AttachedMessage.Format.TNEF
                        && message.message().reported() != null) {
                    reported = message.message().reported(); // the .msg inside an Outlook rich text report
                }
                if (reported != null) {
                    break;
                }
            }
        }
        return new ParsedEmail(
                messageId,
                inReplyTo,
                references,
                subject,
                from.isEmpty() ? null : from.get(0),
                to,
                cc,
                replyTo,
                date,
                headers,
                textBody,
                htmlBody,
                attachments,
                artifacts.artifacts(),
                contentFingerprint,
                truncated || artifacts.capped(),
                rawSize,
                rawSha256,
                attached,
                reported);
    }
}

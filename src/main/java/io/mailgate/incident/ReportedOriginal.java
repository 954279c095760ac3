package io.mailgate.incident;

import io.mailgate.parse.AttachedMessage;
import io.mailgate.parse.Attachment;
import io.mailgate.parse.EmailAddress;
import io.mailgate.parse.Header;
import java.time.Instant;
import java.util.List;

/**
 * The suspicious message a user reported (attached or forwarded inline), shown beside the report so that
 * analysts see the original's sender, headers and attachments rather than the reporter's.
 *
 * @param format  RFC822, OUTLOOK_MSG, TNEF or FORWARDED_INLINE
 * @param foundIn where in the report it was found, e.g. attachment:Invoice.eml
 */
public record ReportedOriginal(
        String format,
        String foundIn,
        String messageId,
        String subject,
        EmailAddress from,
        List<EmailAddress> to,
        Instant date,
        List<Attachment> attachments,
        List<Header> headers) {

    static ReportedOriginal of(AttachedMessage reported) {
        if (reported == null) {
            return null;
        }
        var m = reported.message();
        return new ReportedOriginal(
                reported.format().name(),
                reported.foundIn(),
                m.messageId(),
                m.subject(),
                m.from(),
                m.to(),
                m.date(),
                m.attachments(),
                m.headers());
    }
}

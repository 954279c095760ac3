package io.mailgate.imap;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.component.mail.MailUidGenerator;
import org.springframework.stereotype.Component;

/**
 * camel-mail's key for a message. The default fetches each message's Message-ID header, one more IMAP round
 * trip per message; the IMAP UID is what mailgate needs anyway (its source position), and once fetched the
 * message caches it.
 */
@Component("mailgateImapUid")
class ImapUidGenerator implements MailUidGenerator {

    @Override
    public String generateUuid(MailEndpoint endpoint, Message message) {
        try {
            if (message.getFolder() instanceof UIDFolder uids) {
                return uids.getUIDValidity() + ":" + uids.getUID(message);
            }
        } catch (MessagingException e) {
            // Fall back to the message number: the key only has to be unique within this poll.
        }
        return Integer.toString(message.getMessageNumber());
    }
}

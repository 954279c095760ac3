package io.mailgate.imap;

import io.mailgate.ingest.RawEmail;
import io.mailgate.ingest.RawSpool;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.support.DefaultMessage;
import org.springframework.stereotype.Component;

/**
 * First step of every IMAP route: streams the message's raw bytes (fetched with BODY.PEEK, so still unread)
 * to the spool, and replaces the exchange's message with one that carries only the {@link RawEmail}. No mail
 * header survives into the exchange, so none can act as a Camel or camel-mail control header.
 */
@Component("imapMessageReader")
class ImapMessageReader implements Processor {

    private final RawSpool spool;

    ImapMessageReader(RawSpool spool) {
        this.spool = spool;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message mail = exchange.getIn(MailMessage.class).getOriginalMessage();
        RawEmail raw = spool.spool(mail::writeTo, position(mail));
        RawSpool.deleteOnCompletion(exchange, raw.file());
        DefaultMessage clean = new DefaultMessage(exchange);
        clean.setBody(raw);
        exchange.setIn(clean);
    }

    /** imap:UIDVALIDITY:UID identifies a message in a folder for good (RFC 3501 2.3.1.1). */
    static String position(Message mail) throws MessagingException {
        Folder folder = mail.getFolder();
        if (folder instanceof UIDFolder uids) {
            return "imap:" + uids.getUIDValidity() + ":" + uids.getUID(mail);
        }
        return null;
    }
}

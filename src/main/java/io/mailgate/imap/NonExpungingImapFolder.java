package io.mailgate.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * A folder that never expunges when it is closed. camel-mail closes folders with {@code close(true)}, which
 * sends IMAP CLOSE and permanently removes every message flagged \Deleted, including messages someone else
 * flagged in a shared mailbox. mailgate only ever sets \Seen, so closing must never delete anything.
 */
final class NonExpungingImapFolder extends IMAPFolder {

    NonExpungingImapFolder(String fullName, char separator, IMAPStore store, Boolean isNamespace) {
        super(fullName, separator, store, isNamespace);
    }

    NonExpungingImapFolder(ListInfo info, IMAPStore store) {
        super(info, store);
    }

    @Override
    public synchronized void close(boolean expunge) throws MessagingException {
        super.close(false);
    }
}

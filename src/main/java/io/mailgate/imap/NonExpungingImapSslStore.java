package io.mailgate.imap;

import jakarta.mail.Session;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/** The "imaps" store mailgate's sessions use; its folders never expunge (see {@link NonExpungingImapFolder}). */
public class NonExpungingImapSslStore extends IMAPStore {

    public NonExpungingImapSslStore(Session session, URLName url) {
        super(session, url, "imaps", true);
    }

    @Override
    protected IMAPFolder newIMAPFolder(String fullName, char separator, Boolean isNamespace) {
        return new NonExpungingImapFolder(fullName, separator, this, isNamespace);
    }

    @Override
    protected IMAPFolder newIMAPFolder(ListInfo info) {
        return new NonExpungingImapFolder(info, this);
    }
}

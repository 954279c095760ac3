package io.mailgate.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
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

    /**
     * Whether responses were read from the server but not handled yet. Angus reads IDLE's continuation through
     * a buffered stream: when the server sends more with it ({@code + idling\r\n* 5 EXISTS\r\n}, as Dovecot
     * does for mail that arrived just before IDLE), the rest waits in the buffer, where the IDLE selector, which
     * watches the socket, never sees it.
     */
    boolean hasUnreadResponses() {
        var p = protocol;
        return p != null && p.hasResponse();
    }

    /** Told of server news at once, on the thread that read it (keep it short: hand work to a pool). */
    interface News {
        /** New mail ({@code EXISTS}) or a flag change ({@code FETCH}) that may have made a message unseen. */
        void changed();

        /** The server said BYE or the connection broke (Angus turns a broken read into a BYE). */
        void lost();
    }

    private volatile News news;

    /**
     * Jakarta Mail's own events are not used for this: its event queue loses the events queued just before a
     * folder's CLOSED event when no dispatcher was running ({@code EventQueue.run} starts after
     * {@code terminateQueue} cleared the queue), and with one queue for the whole application any folder closing
     * could swallow another's news.
     */
    void tellNews(News news) {
        this.news = news;
    }

    @Override
    public void handleResponse(Response r) {
        super.handleResponse(r);
        News listener = news;
        if (listener == null || r == null) {
            return;
        }
        if (r.isBYE()) {
            listener.lost();
        } else if (r.isUnTagged()
                && r instanceof IMAPResponse ir
                && (ir.keyEquals("EXISTS") || ir.keyEquals("FETCH"))) {
            listener.changed();
        }
    }

    @Override
    public synchronized void close(boolean expunge) throws MessagingException {
        super.close(false);
    }
}

package io.mailgate.imap;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * The few IMAP commands the batch source sends, each one command for many messages, on the folder's own
 * connection (Angus serialises them with the folder's lock, and ends an IDLE first). Responses the command
 * consumed are taken out before the rest (EXISTS, EXPUNGE, flag changes) go to the folder as usual.
 */
final class ImapCommands {

    private final IMAPFolder folder;

    ImapCommands(IMAPFolder folder) {
        this.folder = folder;
    }

    long uidValidity() throws MessagingException {
        return folder.getUIDValidity();
    }

    /**
     * {@code UID SEARCH UNSEEN UNDELETED}: every unread message of the folder, oldest first. A message someone
     * flagged \Deleted is on its way out and is left alone, as camel-mail did.
     */
    List<Long> searchUnseen() throws MessagingException {
        return run("UID SEARCH UNSEEN UNDELETED", (responses, uids) -> {
            for (int i = 0; i < responses.length; i++) {
                if (responses[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    for (long uid = ir.readLong(); uid != -1; uid = ir.readLong()) {
                        uids.add(uid);
                    }
                    responses[i] = null;
                }
            }
            uids.sort(null);
        });
    }

    /** {@code UID FETCH set (UID RFC822.SIZE)}: sizes to plan the fetches by; vanished UIDs are simply absent. */
    Map<Long, Long> sizes(Collection<Long> uids) throws MessagingException {
        Map<Long, Long> sizes = new LinkedHashMap<>();
        run("UID FETCH " + UidSet.of(uids) + " (UID RFC822.SIZE)", (responses, ignored) -> {
            for (int i = 0; i < responses.length; i++) {
                if (responses[i] instanceof FetchResponse f) {
                    UID uid = f.getItem(UID.class);
                    RFC822SIZE size = f.getItem(RFC822SIZE.class);
                    if (uid != null && size != null) {
                        sizes.put(uid.uid, size.size);
                        responses[i] = null;
                    }
                }
            }
        });
        return sizes;
    }

    /**
     * {@code UID FETCH set (UID BODY.PEEK[])}: the raw bytes of several messages in one command, without
     * setting \Seen. The caller bounds the total with the byte budget.
     */
    Map<Long, ByteArray> bodies(Collection<Long> uids) throws MessagingException {
        Map<Long, ByteArray> bodies = new LinkedHashMap<>();
        run("UID FETCH " + UidSet.of(uids) + " (UID BODY.PEEK[])", (responses, ignored) -> {
            for (int i = 0; i < responses.length; i++) {
                if (responses[i] instanceof FetchResponse f) {
                    UID uid = f.getItem(UID.class);
                    BODY body = f.getItem(BODY.class);
                    if (uid != null && body != null && body.getByteArray() != null) {
                        bodies.put(uid.uid, body.getByteArray());
                        responses[i] = null;
                    }
                }
            }
        });
        return bodies;
    }

    /**
     * Streams one message to {@code out} in partial fetches of {@code chunk} bytes ({@code BODY.PEEK[]<o.n>}), so
     * that no more than one chunk is ever in memory.
     *
     * @return false if the message has disappeared
     */
    boolean stream(long uid, int chunk, OutputStream out) throws MessagingException, IOException {
        long offset = 0;
        while (true) {
            ByteArray[] part = new ByteArray[1];
            run("UID FETCH " + uid + " (UID BODY.PEEK[]<" + offset + "." + chunk + ">)", (responses, ignored) -> {
                for (int i = 0; i < responses.length; i++) {
                    if (responses[i] instanceof FetchResponse f && f.getItem(BODY.class) != null) {
                        UID u = f.getItem(UID.class);
                        if (u == null || u.uid == uid) {
                            part[0] = f.getItem(BODY.class).getByteArray();
                            responses[i] = null;
                        }
                    }
                }
            });
            if (part[0] == null) {
                if (offset == 0) {
                    return false;
                }
                return true;
            }
            out.write(part[0].getBytes(), part[0].getStart(), part[0].getCount());
            offset += part[0].getCount();
            if (part[0].getCount() < chunk) {
                return true;
            }
        }
    }

    /** {@code UID STORE set +FLAGS.SILENT (\Seen)}: one command for every committed message of a batch. */
    void markSeen(Collection<Long> uids) throws MessagingException {
        if (!uids.isEmpty()) {
            run("UID STORE " + UidSet.of(uids) + " +FLAGS.SILENT (\\Seen)", (responses, ignored) -> {});
        }
    }

    /** {@code NOOP}: proves the connection is alive (a dead one fails within the socket timeout). */
    void noop() throws MessagingException {
        run("NOOP", (responses, ignored) -> {});
    }

    @FunctionalInterface
    private interface Reader {
        void read(Response[] responses, List<Long> result);
    }

    private List<Long> run(String command, Reader reader) throws MessagingException {
        @SuppressWarnings("unchecked")
        List<Long> result = (List<Long>) folder.doCommand((IMAPProtocol p) -> {
            Response[] responses = p.command(command, null);
            Response status = responses[responses.length - 1];
            List<Long> found = new ArrayList<>();
            if (status.isOK()) {
                reader.read(responses, found);
            }
            p.notifyResponseHandlers(responses);
            p.handleResult(status);
            return found;
        });
        return result;
    }
}

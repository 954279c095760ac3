package io.mailgate.component.ews;

/**
 * A folder as EWS requests address it: a distinguished folder (inbox, msgfolderroot, ...) in a given mailbox, or a
 * folder id found with FindFolder (an id already names its mailbox).
 *
 * @param distinguishedId such as {@code inbox}, or null
 * @param id              an EWS folder id, or null
 * @param mailbox         the SMTP address to put in the Mailbox element of a distinguished folder, or null for the
 *                        caller's own mailbox
 */
record EwsFolder(String distinguishedId, String id, String mailbox) {

    static EwsFolder distinguished(String name, String mailbox) {
        return new EwsFolder(name, null, mailbox);
    }

    static EwsFolder byId(String id) {
        return new EwsFolder(null, id, null);
    }

    /** What the CamelEwsFolderId header shows. */
    String label() {
        return distinguishedId != null ? distinguishedId : id;
    }
}

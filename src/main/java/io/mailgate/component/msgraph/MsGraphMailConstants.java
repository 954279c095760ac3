package io.mailgate.component.msgraph;

/** Headers the ms-graph-mail consumer sets on each exchange. */
public final class MsGraphMailConstants {

    /** The Graph message id (immutable id): the message's source position. */
    public static final String MESSAGE_ID = "CamelMsGraphMailMessageId";
    /** The message's Internet Message-ID header, as Graph reports it. */
    public static final String INTERNET_MESSAGE_ID = "CamelMsGraphMailInternetMessageId";
    /** The mailbox read: "me" or the shared mailbox's address. */
    public static final String MAILBOX = "CamelMsGraphMailMailbox";
    /** The Graph id of the folder read. */
    public static final String FOLDER_ID = "CamelMsGraphMailFolderId";
    /** When the message arrived, as an {@link java.time.Instant}. */
    public static final String RECEIVED_DATE_TIME = "CamelMsGraphMailReceivedDateTime";

    private MsGraphMailConstants() {}
}

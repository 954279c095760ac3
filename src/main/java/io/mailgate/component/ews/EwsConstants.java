package io.mailgate.component.ews;

import org.apache.camel.spi.Metadata;

/** Headers the {@code ews:} consumer sets on each exchange. */
public final class EwsConstants {

    @Metadata(description = "The EWS item id of the message.", javaType = "String")
    public static final String ITEM_ID = "CamelEwsItemId";

    @Metadata(description = "The EWS change key of the message when it was fetched.", javaType = "String")
    public static final String CHANGE_KEY = "CamelEwsChangeKey";

    @Metadata(
            description = "The SMTP address of the mailbox that was read (the shared mailbox for primary\\shared).",
            javaType = "String")
    public static final String MAILBOX = "CamelEwsMailbox";

    @Metadata(
            description = "The folder that was read: a distinguished folder name such as inbox, or an EWS folder id.",
            javaType = "String")
    public static final String FOLDER_ID = "CamelEwsFolderId";

    private EwsConstants() {}
}

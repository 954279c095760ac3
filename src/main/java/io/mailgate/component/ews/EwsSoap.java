package io.mailgate.component.ews;

import java.util.List;

/**
 * Builds the SOAP requests the consumer sends. Every value that comes from configuration or from the server is
 * XML-escaped. Requests ask for Exchange2013 semantics, which Exchange 2016, 2019 and SE all serve; UpdateItem asks for
 * Exchange2013_SP1, the first schema with SuppressReadReceipts.
 */
final class EwsSoap {

    static final String NS_SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String NS_TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    static final String NS_MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String VERSION = "Exchange2013";
    static final String VERSION_SP1 = "Exchange2013_SP1";

    private EwsSoap() {}

    /** Unread items of a folder, oldest first, one page. */
    static String findUnreadItems(EwsFolder folder, int offset, int max) {
        return envelope("<m:FindItem Traversal=\"Shallow\">"
                + "<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>"
                // The size lets small messages be fetched several at a time, and large ones alone.
                + "<t:AdditionalProperties><t:FieldURI FieldURI=\"item:Size\"/></t:AdditionalProperties></m:ItemShape>"
                + "<m:IndexedPageItemView MaxEntriesReturned=\"" + max + "\" Offset=\"" + offset
                + "\" BasePoint=\"Beginning\"/>"
                + "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"message:IsRead\"/>"
                + "<t:FieldURIOrConstant><t:Constant Value=\"false\"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>"
                + "<m:SortOrder><t:FieldOrder Order=\"Ascending\"><t:FieldURI FieldURI=\"item:DateTimeReceived\"/>"
                + "</t:FieldOrder></m:SortOrder>"
                + "<m:ParentFolderIds>" + folderId(folder) + "</m:ParentFolderIds>"
                + "</m:FindItem>");
    }

    /** One item with its MIME content; IdOnly keeps the rest of the response small. */
    static String getMimeContent(EwsItem item) {
        return getMimeContent(List.of(item));
    }

    /** Several items with their MIME content in one request; the response has one message per id, in order. */
    static String getMimeContent(List<EwsItem> items) {
        StringBuilder ids = new StringBuilder();
        items.forEach(item -> ids.append(itemId(item)));
        return envelope(
                "<m:GetItem>"
                        + "<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent>"
                        + "</m:ItemShape>"
                        + "<m:ItemIds>" + ids + "</m:ItemIds>"
                        + "</m:GetItem>",
                VERSION);
    }

    /**
     * Sets IsRead. AlwaysOverwrite because the change key may be stale (someone may have read or flagged the item
     * meanwhile), and SuppressReadReceipts so that a phisher asking for a read receipt never gets one.
     */
    static String markRead(EwsItem item) {
        return markRead(List.of(item));
    }

    /** Marks several items read in one request: one ItemChange each, one response message each, in order. */
    static String markRead(List<EwsItem> items) {
        StringBuilder changes = new StringBuilder();
        for (EwsItem item : items) {
            changes.append("<t:ItemChange>")
                    .append("<t:ItemId Id=\"")
                    .append(escape(item.id()))
                    .append("\"/>")
                    .append("<t:Updates><t:SetItemField><t:FieldURI FieldURI=\"message:IsRead\"/>")
                    .append("<t:Message><t:IsRead>true</t:IsRead></t:Message></t:SetItemField></t:Updates>")
                    .append("</t:ItemChange>");
        }
        // SuppressReadReceipts exists from Exchange 2013 SP1 on: an older RequestServerVersion fails validation.
        return envelope(
                "<m:UpdateItem MessageDisposition=\"SaveOnly\" ConflictResolution=\"AlwaysOverwrite\""
                        + " SuppressReadReceipts=\"true\">"
                        + "<m:ItemChanges>" + changes + "</m:ItemChanges>"
                        + "</m:UpdateItem>",
                VERSION_SP1);
    }

    /** Child folders of a parent whose display name equals the given one. */
    static String findFolder(EwsFolder parent, String displayName) {
        return envelope("<m:FindFolder Traversal=\"Shallow\">"
                + "<m:FolderShape><t:BaseShape>IdOnly</t:BaseShape>"
                + "<t:AdditionalProperties><t:FieldURI FieldURI=\"folder:DisplayName\"/></t:AdditionalProperties>"
                + "</m:FolderShape>"
                + "<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI=\"folder:DisplayName\"/>"
                + "<t:FieldURIOrConstant><t:Constant Value=\"" + escape(displayName) + "\"/></t:FieldURIOrConstant>"
                + "</t:IsEqualTo></m:Restriction>"
                + "<m:ParentFolderIds>" + folderId(parent) + "</m:ParentFolderIds>"
                + "</m:FindFolder>");
    }

    /** A streaming subscription to new mail in the folder (Exchange 2010 SP1 and later). */
    static String subscribeStreaming(EwsFolder folder) {
        return envelope("<m:Subscribe><m:StreamingSubscriptionRequest>"
                + "<t:FolderIds>" + folderId(folder) + "</t:FolderIds>"
                + "<t:EventTypes><t:EventType>NewMailEvent</t:EventType><t:EventType>CreatedEvent</t:EventType>"
                + "</t:EventTypes>"
                + "</m:StreamingSubscriptionRequest></m:Subscribe>");
    }

    /** Opens the subscription's event stream for {@code minutes} (1 to 30, Exchange's limit). */
    static String getStreamingEvents(String subscriptionId, int minutes) {
        return envelope("<m:GetStreamingEvents>"
                + "<m:SubscriptionIds><t:SubscriptionId>" + escape(subscriptionId)
                + "</t:SubscriptionId></m:SubscriptionIds>"
                + "<m:ConnectionTimeout>" + minutes + "</m:ConnectionTimeout>"
                + "</m:GetStreamingEvents>");
    }

    static String unsubscribe(String subscriptionId) {
        return envelope(
                "<m:Unsubscribe><m:SubscriptionId>" + escape(subscriptionId) + "</m:SubscriptionId></m:Unsubscribe>");
    }

    static String folderId(EwsFolder folder) {
        if (folder.id() != null) {
            return "<t:FolderId Id=\"" + escape(folder.id()) + "\"/>";
        }
        String mailbox = folder.mailbox() == null
                ? ""
                : "<t:Mailbox><t:EmailAddress>" + escape(folder.mailbox()) + "</t:EmailAddress></t:Mailbox>";
        return "<t:DistinguishedFolderId Id=\"" + escape(folder.distinguishedId()) + "\">" + mailbox
                + "</t:DistinguishedFolderId>";
    }

    private static String itemId(EwsItem item) {
        return "<t:ItemId Id=\"" + escape(item.id()) + "\""
                + (item.changeKey() == null ? "" : " ChangeKey=\"" + escape(item.changeKey()) + "\"") + "/>";
    }

    private static String envelope(String body) {
        return envelope(body, VERSION);
    }

    private static String envelope(String body, String version) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<soap:Envelope xmlns:soap=\"" + NS_SOAP + "\" xmlns:t=\"" + NS_TYPES + "\" xmlns:m=\"" + NS_MESSAGES
                + "\">"
                + "<soap:Header><t:RequestServerVersion Version=\"" + version + "\"/></soap:Header>"
                + "<soap:Body>" + body + "</soap:Body></soap:Envelope>";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // Characters XML 1.0 cannot carry at all are dropped rather than sent as a malformed request.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

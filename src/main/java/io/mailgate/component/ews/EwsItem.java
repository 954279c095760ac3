package io.mailgate.component.ews;

/**
 * An item found by FindItem: its id, the change key it had then, and its size in bytes as Exchange reports it
 * (-1 when unknown), which decides how many items one GetItem may fetch together.
 */
record EwsItem(String id, String changeKey, long size) {

    EwsItem(String id, String changeKey) {
        this(id, changeKey, -1);
    }
}

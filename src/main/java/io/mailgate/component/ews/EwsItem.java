package io.mailgate.component.ews;

/** An item found by FindItem: its id and the change key it had then. */
record EwsItem(String id, String changeKey) {
}

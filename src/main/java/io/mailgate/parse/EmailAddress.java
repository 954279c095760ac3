package io.mailgate.parse;

/**
 * One mailbox from an address header.
 *
 * @param name    display name, RFC 2047 decoded, or null
 * @param address {@code local@domain} with the domain lower-cased (the local part is case-sensitive
 *                by the RFC, so it is kept as written)
 */
public record EmailAddress(String name, String address) {}

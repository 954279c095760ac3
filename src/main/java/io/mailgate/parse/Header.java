package io.mailgate.parse;

/**
 * One header field as it appears in the message: name as written, value unfolded (line breaks of
 * folding removed) but not RFC 2047 decoded, so it stays faithful to the source.
 */
public record Header(String name, String value) {}

package io.mailgate.parse;

/**
 * Something an analyst may want to look up, found in the message.
 *
 * @param foundIn where it was first seen: {@code subject}, {@code textBody}, {@code htmlBody},
 *                {@code header:From}, {@code attachment:invoice.pdf}, ...
 */
public record Artifact(ArtifactType type, String value, String foundIn) {}

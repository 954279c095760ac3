package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What identifies a message to a person looking for it, read from its top-level header block alone: enough
 * for a quarantine entry when the rest of the message cannot be parsed (too deep, too many parts, encrypted
 * for another key). For an S/MIME or PGP/MIME message these are the outer (envelope) fields.
 *
 * @param messageId first Message-ID, as stored for parsed messages, or null
 * @param subject   RFC 2047 decoded, or null
 * @param from      first From mailbox, or null
 * @param date      Date, or null when absent or unreadable
 */
public record OuterHeaders(String messageId, String subject, EmailAddress from, Instant date) {

    public static final OuterHeaders NONE = new OuterHeaders(null, null, null, null);

    /** Never throws: a file whose header block cannot be read (not an email, over the limit) gives {@link #NONE}. */
    public static OuterHeaders read(Path rawFile, ParseLimits limits) {
        HeaderBlock block;
        try (InputStream in = Files.newInputStream(rawFile)) {
            block = HeaderBlockReader.readMessage(in, limits.maxHeaderBytes());
        } catch (IOException | MalformedEmailException | RuntimeException unreadable) {
            return NONE;
        }
        List<EmailAddress> from;
        try {
            from = EnvelopeFields.addresses(block.all("From"));
        } catch (RuntimeException unparsable) {
            from = List.of();
        }
        Instant date;
        try {
            date = EnvelopeFields.date(block.first("Date"));
        } catch (RuntimeException unparsable) {
            date = null;
        }
        return new OuterHeaders(
                EnvelopeFields.firstMessageId(block.first("Message-ID")),
                EncodedWords.decode(block.first("Subject")),
                from.isEmpty() ? null : from.get(0),
                date);
    }
}

package io.mailgate.decrypt;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a full RFC 5322 message again: the outer header fields (From, To, Subject, Date,
 * Message-ID …, which live outside the encryption) followed by the unwrapped inner entity.
 */
final class OutputAssembler {

    private OutputAssembler() {}

    static void write(MimeHeaders outer, Path inner, Path target) throws IOException {
        MimeHeaders innerHeaders = MimeHeaders.read(inner, MessageDecryptor.MAX_HEADER_BYTES);
        Set<String> innerNames = new HashSet<>();
        if (innerHeaders != null) {
            for (MimeHeaders.Field field : innerHeaders.fields()) {
                innerNames.add(field.name().toLowerCase(Locale.ROOT));
            }
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)) {
            for (MimeHeaders.Field field : outer.fields()) {
                String name = field.name().toLowerCase(Locale.ROOT);
                // Content-* describe the wrapper that is gone. A field the inner entity repeats is a
                // protected header (RFC 7508 style, as Thunderbird writes): the inner one is the one
                // the sender's key vouches for, so the outer copy is dropped.
                if (name.startsWith("content-") || innerNames.contains(name)) {
                    continue;
                }
                out.write(field.raw());
                byte[] raw = field.raw();
                if (raw.length == 0 || raw[raw.length - 1] != '\n') {
                    out.write('\r');
                    out.write('\n');
                }
            }
            Files.copy(inner, out);
        }
    }
}

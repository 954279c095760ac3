package io.mailgate.decrypt;

import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header block of a MIME entity stored in a file, kept as the exact bytes of each field (folding
 * and line endings included), so the outer headers can be written out again unchanged.
 */
final class MimeHeaders {

    /** One header field: its name and its raw bytes up to and including the line ending. */
    record Field(String name, byte[] raw) {

        /** The unfolded value, bytes taken as ISO-8859-1 so nothing is lost or replaced. */
        String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            String value = text.substring(text.indexOf(':') + 1);
            return value.replaceAll("\r?\n(?=[ \t])", "").strip();
        }
    }

    private final List<Field> fields;
    private final long bodyOffset;

    private MimeHeaders(List<Field> fields, long bodyOffset) {
        this.fields = List.copyOf(fields);
        this.bodyOffset = bodyOffset;
    }

    /**
     * Reads the header block only.
     *
     * @param maxBytes a header block longer than this is not read (null is returned): no mail client
     *                 writes one, and the caller then leaves the message to the parser's own limits
     */
    static MimeHeaders read(Path file, int maxBytes) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            List<Field> fields = new ArrayList<>();
            ByteArrayOutputStream current = null;
            String currentName = null;
            long offset = 0;
            while (true) {
                byte[] line = readLine(in, maxBytes);
                if (line == null) { // end of file: headers only, empty body
                    break;
                }
                offset += line.length;
                if (offset > maxBytes) {
                    return null;
                }
                boolean blank = line.length <= 2 && (line[0] == '\n' || (line[0] == '\r' && line.length == 2));
                if (blank) {
                    break;
                }
                if ((line[0] == ' ' || line[0] == '\t') && current != null) {
                    current.write(line);
                    continue;
                }
                if (current != null) {
                    fields.add(new Field(currentName, current.toByteArray()));
                }
                current = new ByteArrayOutputStream();
                current.write(line);
                String text = new String(line, StandardCharsets.ISO_8859_1);
                int colon = text.indexOf(':');
                currentName = colon > 0 ? text.substring(0, colon).strip() : "";
            }
            if (current != null) {
                fields.add(new Field(currentName, current.toByteArray()));
            }
            return new MimeHeaders(fields, offset);
        }
    }

    /** @return the line including its terminator, or null at end of input */
    private static byte[] readLine(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n' || line.size() > maxBytes) {
                break;
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    List<Field> fields() {
        return fields;
    }

    /** Where the body starts in the file (after the blank line). */
    long bodyOffset() {
        return bodyOffset;
    }

    String get(String name) {
        for (Field field : fields) {
            if (field.name().equalsIgnoreCase(name)) {
                return field.value();
            }
        }
        return null;
    }

    /** The Content-Type; text/plain when absent or unparseable, as RFC 2045 says. */
    ContentType contentType() {
        String value = get("Content-Type");
        if (value != null) {
            try {
                return new ContentType(value);
            } catch (ParseException e) {
                // fall through to the default
            }
        }
        return new ContentType("text", "plain", null);
    }

    String transferEncoding() {
        String value = get("Content-Transfer-Encoding");
        return value == null ? "7bit" : value.toLowerCase(Locale.ROOT);
    }

    /** The file name announced by Content-Type name= or Content-Disposition filename=, if any. */
    String fileName() {
        String name = contentType().getParameter("name");
        if (name != null) {
            return name;
        }
        String disposition = get("Content-Disposition");
        if (disposition != null) {
            try {
                return new ContentDisposition(disposition).getParameter("filename");
            } catch (ParseException e) {
                return null;
            }
        }
        return null;
    }
}

package io.mailgate.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a message forwarded inline in a text body, as mail clients write it: a separator line
 * (Gmail's "---------- Forwarded message ---------", Thunderbird's "-------- Forwarded Message --------",
 * Outlook's "-----Original Message-----" or its underscore rule, Apple Mail's "Begin forwarded
 * message:"), then "Name: value" lines (From, Sent/Date, To, Cc, Subject), then the forwarded text.
 * Only the first forward is taken; one inside it is found when its own text is looked at.
 */
final class InlineForwards {

    private static final Pattern SEPARATOR = Pattern.compile(
            "(?im)^[ \\t]*(?:-{2,}[ \\t]*(?:forwarded message|original message)[ \\t]*-{2,}|begin forwarded message:|_{20,})[ \\t]*\\r?$");
    private static final Set<String> FIELDS = Set.of("from", "sent", "date", "to", "cc", "subject", "reply-to");
    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "to", "cc", "reply-to");
    /** One "Display Name <address>" of a list Outlook separates with ';', the name unquoted and maybe holding a comma. */
    private static final Pattern NAMED = Pattern.compile("^\\s*([^\"<>;]*?)\\s*<([^<>\\s]+)>\\s*$");

    private static final Pattern MAILTO = Pattern.compile("\\[mailto:([^\\]\\s]+)\\]");

    private InlineForwards() {}

    /** The forwarded message, or null when the text has none. */
    static Draft find(String text) {
        Matcher separator = SEPARATOR.matcher(text);
        while (separator.find()) {
            Draft draft = parse(text, separator.end());
            if (draft != null) {
                return draft;
            }
        }
        return null;
    }

    private static Draft parse(String text, int start) {
        String[] lines = text.substring(start).split("\\r?\\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) {
            i++;
        }
        List<HeaderBlock.Field> fields = new ArrayList<>();
        for (; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                HeaderBlock.Field last = fields.remove(fields.size() - 1);
                fields.add(new HeaderBlock.Field(last.name(), last.value() + " " + line.strip(), true));
                continue;
            }
            int colon = line.indexOf(':');
            String name = colon > 0 ? line.substring(0, colon).strip() : "";
            if (!FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                break;
            }
            String value = MAILTO.matcher(line.substring(colon + 1).strip()).replaceAll("<$1>");
            if (ADDRESS_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
                value = quoteNames(value);
            }
            fields.add(new HeaderBlock.Field(name.equalsIgnoreCase("sent") ? "Date" : name, value, true));
        }
        HeaderBlock block = new HeaderBlock(fields, 0);
        if (block.first("From") == null && block.first("Subject") == null) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        for (int j = i; j < lines.length; j++) {
            if (j > i) {
                body.append('\n');
            }
            body.append(lines[j]);
        }
        Draft draft = new Draft();
        draft.envelope(block);
        String rest = body.toString().strip();
        draft.textBody = rest.isEmpty() ? null : rest;
        byte[] section = text.substring(start).getBytes(StandardCharsets.UTF_8);
        draft.rawSize = section.length;
        draft.rawSha256 = HexFormat.of().formatHex(ContentFingerprint.sha256().digest(section));
        draft.contentFingerprint = draft.rawSha256;
        return draft;
    }

    /** Outlook writes "Weber, Lisa <lisa@example.com>; Other <o@example.com>": quote the names, use commas. */
    private static String quoteNames(String value) {
        List<String> out = new ArrayList<>();
        for (String piece : value.split(";")) {
            Matcher m = NAMED.matcher(piece);
            if (m.matches() && !m.group(1).isEmpty()) {
                out.add("\"" + m.group(1) + "\" <" + m.group(2) + ">");
            } else if (!piece.isBlank()) {
                out.add(piece.strip());
            }
        }
        return String.join(", ", out);
    }
}

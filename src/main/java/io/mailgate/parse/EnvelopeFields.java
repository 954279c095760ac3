package io.mailgate.parse;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads identifiers, addresses and the date from header values, tolerating what senders get wrong. */
final class EnvelopeFields {

    /** MailDateFormat is costly to build (a calendar and locale data each time) and not thread-safe: one per thread. */
    private static final ThreadLocal<MailDateFormat> DATE_FORMAT = ThreadLocal.withInitial(MailDateFormat::new);

    private static final Pattern ANGLE_ID = Pattern.compile("<([^<>]*)>");
    // Starts only at a token boundary and never backtracks into the local part: header values can be
    // a megabyte of hostile text, and a naive pattern would be quadratic on it.
    private static final Pattern LOOSE_ADDRESS =
            Pattern.compile("(?<![A-Za-z0-9._%+'=-])[A-Za-z0-9._%+'=-]++@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

    private EnvelopeFields() {}

    /** The first msg-id, as {@code <id>} with whitespace removed, or null. */
    static String firstMessageId(String value) {
        List<String> ids = messageIds(value);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Every msg-id in order, duplicates removed. Ids written without angle brackets (it happens) are
     * taken as whitespace-separated tokens and given brackets, so they compare equal to proper ones.
     */
    static List<String> messageIds(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = ANGLE_ID.matcher(value);
        while (m.find()) {
            String id = m.group(1).replaceAll("\\s+", "");
            if (!id.isEmpty()) {
                ids.add("<" + id + ">");
            }
        }
        if (ids.isEmpty()) {
            for (String token : value.split("[\\s,]+")) {
                String id = token.replace("<", "").replace(">", "");
                if (!id.isEmpty()) {
                    ids.add("<" + id + ">");
                }
            }
        }
        return List.copyOf(ids);
    }

    /** The mailboxes of an address header, groups expanded; unparseable headers yield what looks like an address. */
    static List<EmailAddress> addresses(List<String> values) {
        List<EmailAddress> result = new ArrayList<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                    if (address.isGroup()) {
                        for (InternetAddress member : address.getGroup(false)) {
                            add(result, member);
                        }
                    } else {
                        add(result, address);
                    }
                }
            } catch (AddressException | RuntimeException unparseable) {
                Matcher m = LOOSE_ADDRESS.matcher(value);
                while (m.find()) {
                    result.add(new EmailAddress(null, normaliseAddress(m.group())));
                }
            }
        }
        return result;
    }

    private static void add(List<EmailAddress> result, InternetAddress address) {
        String mailbox = address.getAddress();
        if (mailbox == null || mailbox.isBlank()) {
            return;
        }
        String name = address.getPersonal();
        if (name != null) {
            name = EncodedWords.decode(name).strip(); // getPersonal leaves words of unknown charsets encoded
            if (name.isEmpty()) {
                name = null;
            }
        }
        result.add(new EmailAddress(name, normaliseAddress(mailbox)));
    }

    /** Domains are case-insensitive, local parts are not (RFC 5321), so only the domain is lower-cased. */
    static String normaliseAddress(String address) {
        String trimmed = address.strip();
        int at = trimmed.lastIndexOf('@');
        if (at < 0) {
            return trimmed;
        }
        return trimmed.substring(0, at + 1) + trimmed.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** The Date header as an instant, or null when missing or unparseable. */
    static Instant date(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Date date = DATE_FORMAT.get().parse(value.strip()); // lenient: obsolete zones, comments
            return date == null ? null : date.toInstant();
        } catch (ParseException | RuntimeException unparseable) {
            return null;
        }
    }
}

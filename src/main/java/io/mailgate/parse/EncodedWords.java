package io.mailgate.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes RFC 2047 encoded words ({@code =?charset?B|Q?text?=}) in header values.
 *
 * <p>Written for the mail that phishing reports bring rather than for the RFC: any charset Java knows
 * (unknown ones fall back through {@link CharsetFallback} instead of leaving the word encoded, which is
 * what MimeUtility.decodeText does), encoded words glued to other text, and, common from broken
 * mailers, one multi-byte character split across two adjacent encoded words: adjacent words with the
 * same charset are joined as bytes before decoding.
 */
final class EncodedWords {

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");

    private static final Pattern BASE64_TEXT = Pattern.compile("[A-Za-z0-9+/]*+={0,2}");

    private EncodedWords() {}

    static String decode(String value) {
        if (value == null || !value.contains("=?")) {
            return value;
        }
        Matcher m = ENCODED_WORD.matcher(value);
        StringBuilder out = new StringBuilder(value.length());
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        String runCharset = null;
        int last = 0;
        while (m.find()) {
            String between = value.substring(last, m.start());
            byte[] bytes = decodeWord(m.group(2), m.group(3));
            if (bytes == null) {
                // not decodable: keep it as written
                runCharset = flush(out, run, runCharset);
                out.append(between).append(m.group());
                last = m.end();
                continue;
            }
            String charset = m.group(1).toLowerCase(Locale.ROOT);
            boolean adjacent = runCharset != null && between.isBlank();
            if (adjacent && charset.equals(runCharset)) {
                run.writeBytes(bytes); // whitespace between encoded words is not part of the text
            } else {
                flush(out, run, runCharset);
                if (!adjacent) {
                    out.append(between);
                }
                run.writeBytes(bytes);
                runCharset = charset;
            }
            last = m.end();
        }
        flush(out, run, runCharset);
        out.append(value, last, value.length());
        return out.toString();
    }

    private static String flush(StringBuilder out, ByteArrayOutputStream run, String charset) {
        if (charset != null && run.size() > 0) {
            out.append(CharsetFallback.decode(run.toByteArray(), charset));
        }
        run.reset();
        return null;
    }

    /** The word's bytes, or null if its encoded text is damaged beyond decoding. */
    private static byte[] decodeWord(String encoding, String text) {
        if (encoding.equalsIgnoreCase("B")) {
            if (!BASE64_TEXT.matcher(text).matches()) {
                return null;
            }
            try {
                return Base64.getMimeDecoder().decode(text);
            } catch (IllegalArgumentException damaged) {
                return null;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                bytes.write(' ');
            } else if (c == '=' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else if (c < 128) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8)); // raw 8-bit text in the word
            }
        }
        return bytes.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }
}

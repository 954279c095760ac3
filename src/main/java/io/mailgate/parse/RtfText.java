package io.mailgate.parse;

import java.nio.charset.Charset;

/**
 * Plain text out of an RTF body (TNEF messages often carry only compressed RTF): enough for reading
 * and for finding URLs and addresses, not a renderer. Drops control words, groups that are not text
 * (font tables, pictures, {@code \*} destinations) and decodes {@code \'hh} (as Windows-1252) and
 * unicode escapes (backslash-u N). Linear in the input.
 */
final class RtfText {

    private RtfText() {}

    static String toText(String rtf) {
        if (rtf == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(rtf.length() / 2);
        int skipDepth = -1; // group depth at which an ignored destination started
        int depth = 0;
        int n = rtf.length();
        int i = 0;
        while (i < n) {
            char c = rtf.charAt(i);
            if (c == '{') {
                depth++;
                i++;
                continue;
            }
            if (c == '}') {
                if (depth == skipDepth) {
                    skipDepth = -1;
                }
                depth--;
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < n) {
                char next = rtf.charAt(i + 1);
                if (next == '\'' && i + 3 < n) {
                    int value = Integer.parseInt(rtf.substring(i + 2, i + 4).replaceAll("[^0-9A-Fa-f]", "0"), 16);
                    if (skipDepth < 0) {
                        out.append(new String(new byte[] {(byte) value}, Charset.forName("windows-1252")));
                    }
                    i += 4;
                    continue;
                }
                if (next == '*') {
                    if (skipDepth < 0) {
                        skipDepth = depth;
                    }
                    i += 2;
                    continue;
                }
                if (!Character.isLetter(next)) {
                    if (skipDepth < 0 && (next == '\\' || next == '{' || next == '}')) {
                        out.append(next);
                    }
                    i += 2;
                    continue;
                }
                int start = i + 1;
                int j = start;
                while (j < n && Character.isLetter(rtf.charAt(j))) {
                    j++;
                }
                String word = rtf.substring(start, j);
                int numberStart = j;
                if (j < n && (rtf.charAt(j) == '-' || Character.isDigit(rtf.charAt(j)))) {
                    j++;
                    while (j < n && Character.isDigit(rtf.charAt(j))) {
                        j++;
                    }
                }
                String number = rtf.substring(numberStart, j);
                if (j < n && rtf.charAt(j) == ' ') {
                    j++;
                }
                i = j;
                switch (word) {
                    case "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer", "generator":
                        if (skipDepth < 0) {
                            skipDepth = depth;
                        }
                        break;
                    case "par", "line", "row":
                        if (skipDepth < 0) {
                            out.append('\n');
                        }
                        break;
                    case "tab", "cell":
                        if (skipDepth < 0) {
                            out.append('\t');
                        }
                        break;
                    case "u":
                        if (skipDepth < 0 && number.length() > 0 && number.length() < 8) {
                            int code = Integer.parseInt(number);
                            out.append((char) (code < 0 ? code + 65536 : code));
                            if (i < n && rtf.charAt(i) == '?') {
                                i++; // the ANSI substitute after a unicode escape
                            }
                        }
                        break;
                    default:
                        break;
                }
                continue;
            }
            if (skipDepth < 0 && c != '\r' && c != '\n') {
                out.append(c);
            }
            i++;
        }
        return out.toString().strip();
    }
}

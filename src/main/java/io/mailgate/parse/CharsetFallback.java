package io.mailgate.parse;

import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns bytes into text when the declared charset may be missing, unknown to Java, or simply wrong
 * (us-ascii declared over UTF-8 bytes is common). Tries the declared charset strictly, then UTF-8
 * strictly, then ISO-8859-1, which accepts any byte: decoding never fails, it can only be imperfect.
 */
final class CharsetFallback {

    /** Opens a fresh stream over the same bytes, so a failed strict decode can start again. */
    @FunctionalInterface
    interface StreamSource {
        InputStream open() throws IOException;
    }

    record DecodedText(String text, boolean truncated) {}

    private CharsetFallback() {}

    /**
     * Names already looked up. The JDK asks its charset providers through a ServiceLoader for every
     * name outside the standard set (ISO-2022-JP, Shift_JIS, and every unknown name): costly per part.
     * Bounded, as the names come from hostile mail.
     */
    private static final ConcurrentHashMap<String, Optional<Charset>> KNOWN = new ConcurrentHashMap<>();

    private static final int MAX_KNOWN = 512;

    /** The charset for a MIME name, or null when Java does not know it. */
    static Charset lookup(String mimeName) {
        if (mimeName == null || mimeName.isBlank()) {
            return null;
        }
        Optional<Charset> known = KNOWN.get(mimeName);
        if (known != null) {
            return known.orElse(null);
        }
        Charset charset = lookupUncached(mimeName);
        if (KNOWN.size() < MAX_KNOWN && mimeName.length() <= 64) {
            KNOWN.put(mimeName, Optional.ofNullable(charset));
        }
        return charset;
    }

    private static Charset lookupUncached(String mimeName) {
        String name = mimeName.trim();
        int language = name.indexOf('*'); // RFC 2231 language suffix: "utf-8*en"
        if (language > 0) {
            name = name.substring(0, language);
        }
        name = name.replace("\"", "").replace("'", "");
        // Java's own names first: MimeUtility maps some MIME names to wider charsets (us-ascii to
        // ISO-8859-1), which would accept wrong bytes instead of letting us fall back to UTF-8.
        for (String candidate : new String[] {name, MimeUtility.javaCharset(name)}) {
            try {
                if (candidate != null && Charset.isSupported(candidate)) {
                    return Charset.forName(candidate);
                }
            } catch (IllegalArgumentException notACharsetName) {
                // try the next spelling, then give up: the caller falls back
            }
        }
        if (name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").equals("utf8")) {
            return StandardCharsets.UTF_8;
        }
        return null;
    }

    /** Decodes a small byte array (a header word, a file name). */
    static String decode(byte[] bytes, String declaredCharset) {
        for (Charset charset : candidates(declaredCharset)) {
            try {
                return strict(charset).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException wrongCharset) {
                // next candidate
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /**
     * Decodes a stream, keeping at most {@code maxChars} characters. An I/O or transfer-decoding error
     * part way keeps the text read so far: a damaged body is still worth showing to an analyst.
     */
    static DecodedText decode(StreamSource source, String declaredCharset, int maxChars) throws IOException {
        Set<Charset> candidates = candidates(declaredCharset);
        for (Charset charset : candidates) {
            boolean last = charset.equals(StandardCharsets.ISO_8859_1);
            StringBuilder text = new StringBuilder();
            try (InputStream in = source.open();
                    Reader reader = new InputStreamReader(in, last ? lenient(charset) : strict(charset))) {
                char[] buffer = new char[8192];
                int n;
                while ((n = reader.read(buffer)) > 0) {
                    if (text.length() + n > maxChars) {
                        text.append(buffer, 0, maxChars - text.length());
                        return new DecodedText(text.toString(), true);
                    }
                    text.append(buffer, 0, n);
                }
                return new DecodedText(text.toString(), false);
            } catch (CharacterCodingException wrongCharset) {
                if (last) {
                    break;
                }
            } catch (IOException damaged) {
                if (damaged instanceof DecodedBudget.ExceededException) {
                    throw damaged;
                }
                return new DecodedText(text.toString(), false);
            }
        }
        return new DecodedText("", false);
    }

    private static Set<Charset> candidates(String declaredCharset) {
        Set<Charset> candidates = new LinkedHashSet<>();
        Charset declared = lookup(declaredCharset);
        if (declared != null) {
            candidates.add(declared);
        }
        candidates.add(StandardCharsets.UTF_8);
        candidates.add(StandardCharsets.ISO_8859_1);
        return candidates;
    }

    private static CharsetDecoder strict(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static CharsetDecoder lenient(Charset charset) {
        return charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
}

package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Computes the content fingerprint that lets dedup tell a redelivery from a different message that
 * reuses a Message-ID (a sender controls that header, so it alone must never suppress a report).
 *
 * <p>The fingerprint covers the author's content only, chosen by an allow-list: MTAs, gateways and mail
 * stores add header fields in transit (Received, Delivered-To, Return-Path, ARC-*, Authentication-Results,
 * X-Spam-*, X-MS-Exchange-*, X-Redelivery, any X-...), and no list of such fields to drop is ever complete.
 * It is the hex SHA-256 of
 * <ol>
 *   <li>each {@linkplain #isAuthorContent author field}, in order, as
 *       {@code lower-case-name ":" value "\n"}, the value with every run of whitespace collapsed to one
 *       space and trimmed (so refolding by a server does not matter), then</li>
 *   <li>one {@code "\n"}, then</li>
 *   <li>the body bytes after the header block, with CRLF and bare CR turned into LF: servers and APIs
 *       (IMAP, EWS, Graph exports) disagree on line ends, never on content.</li>
 * </ol>
 * The file is streamed once; the same pass yields the SHA-256 and size of the raw bytes.
 *
 * <p>Compatibility: fingerprints stored before this allow-list (issue 13) were computed over every field
 * except a list of known trace fields. Stored rows keep them (email_messages.fingerprint and the dedup key
 * made from it are never recomputed); a redelivery, after the upgrade, of a message stored before it is
 * therefore not recognised by content and is stored again, flagged messageIdReused. Its source position
 * (the same IMAP UID or item id) still recognises a plain re-fetch.
 */
final class ContentFingerprint {

    /**
     * The originator, destination, identification and informational fields of RFC 5322 section 3.6 that
     * the author writes, plus MIME-Version. Every Content-* field is content too (see {@link #isAuthorContent}).
     * A field that is not here cannot tell two messages apart: two messages alike in all of these and in
     * their bodies are one message.
     */
    static final Set<String> AUTHOR_FIELDS = Set.of(
            "from",
            "sender",
            "reply-to",
            "to",
            "cc",
            "subject",
            "date",
            "message-id",
            "in-reply-to",
            "references",
            "mime-version");

    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+"); // compiled once, not per field

    record Result(String fingerprint, long rawSize, String rawSha256) {}

    private ContentFingerprint() {}

    static boolean isAuthorContent(String fieldName) {
        String name = fieldName.toLowerCase(Locale.ROOT);
        // Content-Length is no MIME field: mbox-style stores add or rewrite it.
        return AUTHOR_FIELDS.contains(name) || name.startsWith("content-") && !name.equals("content-length");
    }

    static Result compute(HeaderBlock headers, Path rawFile) throws IOException {
        MessageDigest fingerprint = sha256();
        for (HeaderBlock.Field field : headers.fields()) {
            if (!field.wellFormed() || !isAuthorContent(field.name())) {
                continue;
            }
            String line = field.name().toLowerCase(Locale.ROOT) + ":" + normaliseSpace(field.value()) + "\n";
            fingerprint.update(line.getBytes(StandardCharsets.UTF_8));
        }
        fingerprint.update((byte) '\n');

        MessageDigest raw = sha256();
        long size = 0;
        boolean afterCr = false;
        try (InputStream stream = Files.newInputStream(rawFile)) {
            byte[] in = ReadBuffers.forRestOf(stream, 64 * 1024);
            int n;
            while ((n = stream.read(in)) > 0) {
                raw.update(in, 0, n);
                int from = (int) Math.max(0, Math.min(n, headers.bodyOffset() - size));
                size += n;
                afterCr = digestBody(fingerprint, in, from, n, afterCr);
            }
        }
        HexFormat hex = HexFormat.of();
        return new Result(hex.formatHex(fingerprint.digest()), size, hex.formatHex(raw.digest()));
    }

    /**
     * Digests body bytes {@code in[from..n)} with line ends as LF; returns whether they ended in a CR (an LF at the
     * start of the next buffer then belongs to it). Its own method, called once per buffer: inline in compute(),
     * once per message, the JIT compiled this loop on stack together with everything compute() calls (issue 13).
     */
    private static boolean digestBody(MessageDigest fingerprint, byte[] in, int from, int n, boolean afterCr) {
        int i = from;
        while (i < n) {
            // digest whole runs between line ends at once; only the line ends are rewritten
            int run = i;
            while (i < n && in[i] != '\r' && in[i] != '\n') {
                i++;
            }
            if (i > run) {
                fingerprint.update(in, run, i - run);
                afterCr = false;
            }
            if (i == n) {
                break;
            }
            if (in[i++] == '\r') {
                fingerprint.update((byte) '\n');
                afterCr = true;
            } else {
                if (!afterCr) {
                    fingerprint.update((byte) '\n');
                }
                afterCr = false;
            }
        }
        return afterCr;
    }

    private static String normaliseSpace(String value) {
        return WHITESPACE_RUN.matcher(value).replaceAll(" ").strip();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}

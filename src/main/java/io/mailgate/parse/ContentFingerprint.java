package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Computes the content fingerprint that lets dedup tell a redelivery from a different message that
 * reuses a Message-ID (a sender controls that header, so it alone must never suppress a report).
 *
 * <p>The fingerprint is the hex SHA-256 of
 * <ol>
 *   <li>each header field that is not a {@linkplain #isTransportStamp transport stamp}, in order, as
 *       {@code lower-case-name ":" value "\n"}, the value with every run of whitespace collapsed to one
 *       space and trimmed (so refolding by a server does not matter), then</li>
 *   <li>one {@code "\n"}, then</li>
 *   <li>the body bytes after the header block, with CRLF and bare CR turned into LF: servers and APIs
 *       (IMAP, EWS, Graph exports) disagree on line ends, never on content.</li>
 * </ol>
 * The file is streamed once; the same pass yields the SHA-256 and size of the raw bytes.
 */
final class ContentFingerprint {

    /**
     * Header fields added or rewritten on each hop or delivery, so they differ between two deliveries
     * of one message. Leaving out too many only merges messages identical in everything else, which is
     * harmless; leaving one in would make a redelivery look new.
     */
    static final Set<String> TRANSPORT_STAMPS = Set.of(
            "received", "x-received", "delivered-to", "return-path", "x-original-to", "envelope-to",
            "x-envelope-from", "x-envelope-to", "x-apparently-to", "x-forwarded-to", "x-forwarded-for",
            "authentication-results", "x-authentication-results", "received-spf", "x-received-spf",
            "x-original-authentication-results", "x-virus-scanned", "x-virus-status",
            "status", "x-status", "x-keywords", "x-uid", "content-length", "lines",
            "x-eopattributedmessage", "x-eoptenantattributedmessage");

    /** Prefixes of transport stamps: ARC sets, Gmail and Exchange/EOP filtering, spam scanners, clients. */
    static final List<String> TRANSPORT_STAMP_PREFIXES = List.of(
            "arc-", "x-gm-", "x-google-", "x-ms-exchange-", "x-ms-office365-", "x-microsoft-antispam",
            "x-forefront-", "x-ms-traffictypediagnostic", "x-ms-publictraffictype", "x-ms-oob-",
            "x-spam-", "x-ham-", "x-mozilla-", "x-proofpoint-", "x-mimecast-", "x-barracuda-");

    record Result(String fingerprint, long rawSize, String rawSha256) {
    }

    private ContentFingerprint() {
    }

    static boolean isTransportStamp(String fieldName) {
        String name = fieldName.toLowerCase(Locale.ROOT);
        if (TRANSPORT_STAMPS.contains(name)) {
            return true;
        }
        for (String prefix : TRANSPORT_STAMP_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static Result compute(HeaderBlock headers, Path rawFile) throws IOException {
        MessageDigest fingerprint = sha256();
        for (HeaderBlock.Field field : headers.fields()) {
            if (isTransportStamp(field.name())) {
                continue;
            }
            String line = field.name().toLowerCase(Locale.ROOT) + ":" + normaliseSpace(field.value()) + "\n";
            fingerprint.update(line.getBytes(StandardCharsets.UTF_8));
        }
        fingerprint.update((byte) '\n');

        MessageDigest raw = sha256();
        long size = 0;
        byte[] in = new byte[64 * 1024];
        boolean afterCr = false;
        try (InputStream stream = Files.newInputStream(rawFile)) {
            int n;
            while ((n = stream.read(in)) > 0) {
                raw.update(in, 0, n);
                int i = (int) Math.max(0, Math.min(n, headers.bodyOffset() - size));
                size += n;
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
            }
        }
        HexFormat hex = HexFormat.of();
        return new Result(hex.formatHex(fingerprint.digest()), size, hex.formatHex(raw.digest()));
    }

    private static String normaliseSpace(String value) {
        return value.replaceAll("\\s+", " ").strip();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }
}

package io.mailgate.ingest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A download of mail content (a raw message, an attachment) for the API and the pages alike. The bytes come from a
 * suspicious mail, so the browser must only ever save them: an attachment disposition, no type sniffing, and a
 * sandbox policy in case something renders them anyway.
 */
public final class Downloads {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._ -]{1,200}");

    private Downloads() {}

    /** A raw message exactly as fetched, {@code message/rfc822}. */
    public static ResponseEntity<StreamingResponseBody> rawMessage(
            String filename, long size, StreamingResponseBody body) {
        return ResponseEntity.ok()
                .contentLength(size)
                .headers(headers(MediaType.parseMediaType("message/rfc822"), filename))
                .body(body);
    }

    /** Content whose length is known only once it is decoded. */
    public static ResponseEntity<StreamingResponseBody> file(
            MediaType type, String filename, StreamingResponseBody body) {
        return ResponseEntity.ok().headers(headers(type, filename)).body(body);
    }

    private static HttpHeaders headers(MediaType type, String filename) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(type);
        // A name from a mail is the sender's choice: only a plain one goes in as it is, anything else encoded
        // (RFC 6266 filename*), so no quote, control character or odd byte reaches the header raw.
        ContentDisposition.Builder disposition = ContentDisposition.attachment();
        headers.setContentDisposition((PLAIN_NAME.matcher(filename).matches()
                        ? disposition.filename(filename)
                        : disposition.filename(filename, StandardCharsets.UTF_8))
                .build());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox");
        return headers;
    }
}

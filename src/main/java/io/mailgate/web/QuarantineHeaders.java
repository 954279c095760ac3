package io.mailgate.web;

import io.mailgate.account.OrgRef;
import io.mailgate.quarantine.QuarantineDesk;
import io.mailgate.quarantine.QuarantineView;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UnsupportedEncodingException;
import org.springframework.stereotype.Component;

/**
 * The outer From and Subject of a quarantined message, as its sender wrote them, read from the first bytes of its
 * raw message. A message that could not be parsed or decrypted (an S/MIME envelope) has no parsed subject, yet its
 * outer header says what it is ({@code Subject: Encrypted: urgent wire}).
 * <p>
 * Until the quarantine entry carries its outer headers itself (the ingest issue), the page reads them here: only
 * the header block, at most 64 KB, of the rows shown.
 */
@Component
class QuarantineHeaders {

    static final int MAX_HEADER_BYTES = 64 * 1024;

    /** What the quarantine page shows for a row. */
    record Row(QuarantineView entry, String from, String subject) {}

    private final QuarantineDesk desk;

    QuarantineHeaders(QuarantineDesk desk) {
        this.desk = desk;
    }

    Row row(OrgRef org, QuarantineView entry) {
        InternetHeaders headers = headers(org, entry.id());
        String subject = headers == null ? null : decoded(headers.getHeader("Subject", " "));
        String from = headers == null ? null : decoded(headers.getHeader("From", ", "));
        return new Row(entry, from, subject != null && !subject.isBlank() ? subject : entry.subject());
    }

    private InternetHeaders headers(OrgRef org, long id) {
        HeaderBlock block = new HeaderBlock();
        try {
            var body = desk.raw(org, id).getBody();
            if (body != null) {
                body.writeTo(block);
            }
        } catch (IOException | RuntimeException stoppedOrUnreadable) {
            // HeaderBlock stops the copy at the end of the headers; anything else leaves what was read
        }
        try {
            return new InternetHeaders(new ByteArrayInputStream(block.bytes.toByteArray()));
        } catch (MessagingException e) {
            return null;
        }
    }

    private static String decoded(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(value)).strip();
        } catch (UnsupportedEncodingException e) {
            return value.strip();
        }
    }

    /** Keeps bytes up to the blank line that ends the headers (or 64 KB), then stops the copy. */
    private static final class HeaderBlock extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int last;
        private int beforeLast;

        @Override
        public void write(int b) throws IOException {
            bytes.write(b);
            boolean blankLine = b == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'));
            beforeLast = last;
            last = b;
            if (blankLine || bytes.size() >= MAX_HEADER_BYTES) {
                throw new IOException("end of the header block");
            }
        }
    }
}

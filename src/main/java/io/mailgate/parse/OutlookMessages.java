package io.mailgate.parse;

import io.mailgate.parse.MalformedEmailException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.apache.poi.hmef.HMEFMessage;
import org.apache.poi.hmef.attribute.MAPIAttribute;
import org.apache.poi.hmef.attribute.MAPIRtfAttribute;
import org.apache.poi.hmef.attribute.MAPIStringAttribute;
import org.apache.poi.hmef.attribute.TNEFAttribute;
import org.apache.poi.hmef.attribute.TNEFDateAttribute;
import org.apache.poi.hmef.attribute.TNEFProperty;
import org.apache.poi.hmef.attribute.TNEFStringAttribute;
import org.apache.poi.hsmf.MAPIMessage;
import org.apache.poi.hsmf.datatypes.AttachmentChunks;
import org.apache.poi.hsmf.datatypes.ByteChunk;
import org.apache.poi.hsmf.datatypes.MAPIProperty;
import org.apache.poi.hsmf.datatypes.RecipientChunks;
import org.apache.poi.hsmf.datatypes.StringChunk;
import org.apache.poi.poifs.filesystem.DirectoryNode;
import org.apache.poi.poifs.filesystem.EntryUtils;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Outlook's own formats, read with Apache POI into the same shape as a MIME message: .msg files
 * (HSMF, a compound file of MAPI properties) and TNEF winmail.dat (HMEF). POI reads them whole, so
 * {@link MimeParser} hands over only files up to {@link MimeParser#MAX_IN_MEMORY_BYTES}; every
 * attachment inside still counts against the part limit and the decoded-bytes budget of the parse.
 */
final class OutlookMessages {

    private OutlookMessages() {}

    static ParsedEmail msg(MimeParser parser, Path file, ParseRun run, int depth)
            throws IOException, MalformedEmailException {
        AttachmentDigester.Digests digests;
        try (InputStream in = Files.newInputStream(file)) {
            digests = AttachmentDigester.digest(in);
        }
        try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
            MAPIMessage message = new MAPIMessage(fs.getRoot());
            return msg(parser, message, run, depth, digests.size(), digests.sha256());
        }
    }

    private static ParsedEmail msg(
            MimeParser parser, MAPIMessage message, ParseRun run, int depth, long rawSize, String rawSha256)
            throws IOException, MalformedEmailException {
        message.setReturnNullOnMissingChunk(true);
        if (!message.has7BitEncodingStrings()) {
            // nothing to guess
        } else {
            message.guess7BitEncoding();
        }
        Draft draft = new Draft();
        ParseLimits limits = run.limits();
        String transport = string(message.getMainChunks().getMessageHeaders());
        if (transport != null && !transport.isBlank()) {
            draft.envelope(headerBlock(transport, limits));
        }
        if (draft.subject == null) {
            draft.subject = quietly(message::getSubject);
        }
        if (draft.from.isEmpty()) {
            String email = string(message.getMainChunks().getEmailFromChunk());
            String name = quietly(message::getDisplayFrom);
            if (email != null && email.contains("@")) {
                draft.from = List.of(new EmailAddress(blankToNull(name), EnvelopeFields.normaliseAddress(email)));
            }
        }
        if (draft.to.isEmpty()) {
            List<EmailAddress> to = new ArrayList<>();
            for (RecipientChunks recipient : message.getRecipientDetailsChunks()) {
                String email = recipient.getRecipientEmailAddress();
                if (email != null && email.contains("@")) {
                    to.add(new EmailAddress(
                            blankToNull(recipient.getRecipientName()), EnvelopeFields.normaliseAddress(email)));
                }
            }
            draft.to = to;
        }
        if (draft.messageId == null) {
            draft.messageId =
                    EnvelopeFields.firstMessageId(string(message.getMainChunks().getMessageId()));
        }
        if (draft.date == null) {
            Calendar sent = quietly(message::getMessageDate);
            draft.date = sent == null ? null : sent.toInstant();
        }
        if (draft.headers.isEmpty()) {
            draft.headers = synthesized(draft);
        }
        draft.textBody = cut(quietly(message::getTextBody), draft, limits);
        draft.htmlBody = cut(quietly(message::getHtmlBody), draft, limits);
        draft.rawSize = rawSize;
        draft.rawSha256 = rawSha256;
        draft.contentFingerprint = rawSha256;

        AttachmentChunks[] files = message.getAttachmentFiles();
        for (AttachmentChunks chunks : files == null ? new AttachmentChunks[0] : files) {
            count(run);
            int index = draft.attachments.size();
            if (chunks.isEmbeddedMessage()) {
                MAPIMessage inner = chunks.getEmbeddedMessage();
                byte[] bytes = compoundFile(chunks.getAttachmentDirectory().getDirectory());
                run.budget().charge(bytes.length);
                AttachmentDigester.Digests digests = AttachmentDigester.digest(new ByteArrayInputStream(bytes));
                String display = string(chunks.getAttachDisplayName());
                String innerSubject = quietly(inner::getSubject);
                String name = display != null ? display : (innerSubject != null ? innerSubject : "message");
                if (!name.toLowerCase(Locale.ROOT).endsWith(".msg")) {
                    name = name + ".msg";
                }
                Attachment attachment = new Attachment(
                        index,
                        name,
                        "application/vnd.ms-outlook",
                        digests.size(),
                        digests.sha256(),
                        digests.sha1(),
                        digests.md5(),
                        false);
                draft.attachments.add(attachment);
                draft.namedByMessage.add(display != null);
                if (depth + 1 > limits.maxDepth()) {
                    throw new MalformedEmailException(
                            Reason.TOO_DEEP, "MIME nesting deeper than " + limits.maxDepth() + " levels");
                }
                ParsedEmail nested = msg(parser, inner, run, depth + 1, digests.size(), digests.sha256());
                draft.attached.add(
                        new AttachedMessage(AttachedMessage.Format.OUTLOOK_MSG, "attachment:" + name, index, nested));
                continue;
            }
            ByteChunk data = chunks.getAttachData();
            byte[] bytes = data == null || data.getValue() == null ? new byte[0] : data.getValue();
            String fileName = firstNonBlank(
                    string(chunks.getAttachLongFileName()),
                    string(chunks.getAttachFileName()),
                    string(chunks.getAttachDisplayName()));
            String mime = string(chunks.getAttachMimeTag());
            mime = mime == null || mime.isBlank()
                    ? "application/octet-stream"
                    : mime.strip().toLowerCase(Locale.ROOT);
            boolean inline = string(chunks.getAttachContentId()) != null;
            addBytes(parser, draft, run, depth, fileName, mime, bytes, inline);
        }
        return draft.build(run, depth);
    }

    static ParsedEmail tnef(MimeParser parser, Path file, ParseRun run, int depth)
            throws IOException, MalformedEmailException {
        AttachmentDigester.Digests digests;
        try (InputStream in = Files.newInputStream(file)) {
            digests = AttachmentDigester.digest(in);
        }
        HMEFMessage message;
        try (InputStream in = Files.newInputStream(file)) {
            message = new HMEFMessage(in);
        }
        ParseLimits limits = run.limits();
        Draft draft = new Draft();
        String transport = mapiString(message.getMessageMAPIAttribute(MAPIProperty.TRANSPORT_MESSAGE_HEADERS));
        if (transport != null && !transport.isBlank()) {
            draft.envelope(headerBlock(transport, limits));
        }
        if (draft.subject == null) {
            draft.subject = firstNonBlank(
                    quietly(message::getSubject),
                    mapiString(message.getMessageMAPIAttribute(MAPIProperty.SUBJECT)),
                    quietly(() ->
                            TNEFStringAttribute.getAsString(message.getMessageAttribute(TNEFProperty.ID_SUBJECT))));
        }
        if (draft.from.isEmpty()) {
            String email = mapiString(message.getMessageMAPIAttribute(MAPIProperty.SENDER_EMAIL_ADDRESS));
            String name = mapiString(message.getMessageMAPIAttribute(MAPIProperty.SENDER_NAME));
            if (email != null && email.contains("@")) {
                draft.from = List.of(new EmailAddress(blankToNull(name), EnvelopeFields.normaliseAddress(email)));
            }
        }
        if (draft.messageId == null) {
            draft.messageId = EnvelopeFields.firstMessageId(
                    mapiString(message.getMessageMAPIAttribute(MAPIProperty.INTERNET_MESSAGE_ID)));
        }
        if (draft.date == null) {
            TNEFAttribute sent = message.getMessageAttribute(TNEFProperty.ID_DATESENT);
            Date date = sent instanceof TNEFDateAttribute d ? d.getDate() : null;
            draft.date = date == null ? null : date.toInstant();
        }
        if (draft.headers.isEmpty()) {
            draft.headers = synthesized(draft);
        }
        String text = mapiString(message.getMessageMAPIAttribute(MAPIProperty.BODY));
        if (text == null) {
            MAPIAttribute rtf = message.getMessageMAPIAttribute(MAPIProperty.RTF_COMPRESSED);
            if (rtf instanceof MAPIRtfAttribute compressed) {
                text = RtfText.toText(compressed.getDataString());
            }
        }
        draft.textBody = cut(text, draft, limits);
        MAPIAttribute html = message.getMessageMAPIAttribute(MAPIProperty.BODY_HTML);
        draft.htmlBody = cut(html == null ? null : CharsetFallback.decode(html.getData(), "utf-8"), draft, limits);
        draft.rawSize = digests.size();
        draft.rawSha256 = digests.sha256();
        draft.contentFingerprint = digests.sha256();
        for (org.apache.poi.hmef.Attachment attachment : message.getAttachments()) {
            count(run);
            byte[] bytes = attachment.getContents() == null ? new byte[0] : attachment.getContents();
            String fileName = firstNonBlank(quietly(attachment::getLongFilename), quietly(attachment::getFilename));
            String mime = mapiString(attachment.getMAPIAttribute(MAPIProperty.ATTACH_MIME_TAG));
            mime = mime == null || mime.isBlank()
                    ? "application/octet-stream"
                    : mime.strip().toLowerCase(Locale.ROOT);
            addBytes(parser, draft, run, depth, fileName, mime, bytes, false);
        }
        return draft.build(run, depth);
    }

    /** An attachment held as bytes: hashed, and parsed when it carries a message. */
    private static void addBytes(
            MimeParser parser,
            Draft draft,
            ParseRun run,
            int depth,
            String fileName,
            String mime,
            byte[] bytes,
            boolean inline)
            throws IOException, MalformedEmailException {
        run.budget().charge(bytes.length);
        int index = draft.attachments.size();
        AttachmentDigester.Digests digests = AttachmentDigester.digest(new ByteArrayInputStream(bytes));
        String name = fileName != null ? fileName : "untitled-" + index + ".bin";
        draft.attachments.add(new Attachment(
                index, name, mime, digests.size(), digests.sha256(), digests.sha1(), digests.md5(), inline));
        draft.namedByMessage.add(fileName != null);
        AttachedMessage.Format format = AttachedMessage.Format.of(mime, fileName);
        if (format != null && format != AttachedMessage.Format.FORWARDED_INLINE) {
            Path copy = run.newTempFile();
            Files.write(copy, bytes);
            ParsedEmail nested = parser.parseNested(format, copy, run, depth + 1);
            if (nested != null) {
                draft.attached.add(new AttachedMessage(format, "attachment:" + name, index, nested));
            }
        }
    }

    private static void count(ParseRun run) throws MalformedEmailException {
        try {
            run.counter().count();
        } catch (LimitedMultipart.LimitExceededException e) {
            throw e.malformed();
        }
    }

    /** Transport headers as Outlook stored them, read like a message's header block. */
    private static HeaderBlock headerBlock(String transport, ParseLimits limits)
            throws MalformedEmailException, IOException {
        String block = transport.replace("\r\n", "\n").replace("\n", "\r\n").stripTrailing() + "\r\n\r\n";
        return HeaderBlockReader.readPart(
                new ByteArrayInputStream(block.getBytes(StandardCharsets.UTF_8)), limits.maxHeaderBytes());
    }

    /** Headers made from MAPI properties when no transport headers were stored (a draft, a sent item). */
    private static List<Header> synthesized(Draft draft) {
        List<Header> headers = new ArrayList<>();
        if (!draft.from.isEmpty()) {
            headers.add(new Header("From", format(draft.from)));
        }
        if (!draft.to.isEmpty()) {
            headers.add(new Header("To", format(draft.to)));
        }
        if (draft.subject != null) {
            headers.add(new Header("Subject", draft.subject));
        }
        if (draft.messageId != null) {
            headers.add(new Header("Message-ID", draft.messageId));
        }
        return headers;
    }

    private static String format(List<EmailAddress> addresses) {
        List<String> parts = new ArrayList<>();
        for (EmailAddress a : addresses) {
            parts.add(a.name() == null ? a.address() : "\"" + a.name().replace("\"", "'") + "\" <" + a.address() + ">");
        }
        return String.join(", ", parts);
    }

    private static String cut(String body, Draft draft, ParseLimits limits) {
        if (body == null) {
            return null;
        }
        if (body.length() > limits.maxTextChars()) {
            draft.truncated = true;
            return body.substring(0, limits.maxTextChars());
        }
        return body;
    }

    /** An embedded .msg as a compound file of its own, for its hashes. */
    private static byte[] compoundFile(DirectoryNode directory) throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            EntryUtils.copyNodes(directory, fs.getRoot());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    private static String mapiString(MAPIAttribute attribute) {
        if (attribute == null) {
            return null;
        }
        try {
            return blankToNull(MAPIStringAttribute.getAsString(attribute));
        } catch (RuntimeException notAString) {
            return null;
        }
    }

    private static String string(StringChunk chunk) {
        return chunk == null ? null : blankToNull(chunk.getValue());
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private interface PoiCall<T> {
        T get() throws Exception;
    }

    /** POI throws for missing chunks even in "return null" mode in places; a missing value is just null. */
    private static <T> T quietly(PoiCall<T> call) {
        try {
            return call.get();
        } catch (Exception missing) {
            return null;
        }
    }
}

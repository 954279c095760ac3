package io.mailgate.parse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;

/**
 * Builds the small Outlook .msg and TNEF winmail.dat files used by the golden corpus. POI reads
 * these formats but does not write them, so they are assembled here from their specifications:
 * the .msg as a compound file written with POI's POIFS API ([MS-OXMSG]: one {@code __substg1.0_*}
 * stream per MAPI property, {@code __recip_version1.0_#*} and {@code __attach_version1.0_#*}
 * storages), the winmail.dat byte by byte ([MS-OXTNEF]). The checked-in fixtures
 * {@code outlook-msg-report.eml} and {@code tnef-winmail.eml} carry these bytes in base64; run
 * {@link #main} to print them again. {@code OutlookFixturesTest} checks the checked-in bytes are
 * still what this class builds.
 */
final class OutlookFixtures {

    private OutlookFixtures() {}

    static final String MSG_HEADERS = String.join(
                    "\r\n",
                    "Received: from mail.bad.example (mail.bad.example [198.51.100.77])",
                    "\tby mx.example.com with ESMTPS; Tue, 24 Nov 2026 07:58:01 +0000",
                    "Authentication-Results: mx.example.com; spf=fail (sender IP is 198.51.100.77)",
                    " smtp.mailfrom=bad.example; dkim=none (message not signed) header.d=none;",
                    " dmarc=fail action=quarantine header.from=bank.example",
                    "From: \"Bank Security\" <security@bank.example>",
                    "To: <alex@example.com>",
                    "Subject: Unusual sign-in activity",
                    "Date: Tue, 24 Nov 2026 07:58:00 +0000",
                    "Message-ID: <msg-original-1@bad.example>",
                    "")
            + "\r\n";

    /** An Outlook .msg of a phish, with transport headers, text and HTML body and one attachment. */
    static byte[] phishMsg() throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            DirectoryEntry root = fs.getRoot();
            unicode(root, 0x001A, "IPM.Note");
            unicode(root, 0x0037, "Unusual sign-in activity");
            unicode(root, 0x0C1A, "Bank Security");
            unicode(root, 0x0C1F, "security@bank.example");
            unicode(root, 0x0E04, "alex@example.com");
            unicode(root, 0x1035, "<msg-original-1@bad.example>");
            unicode(root, 0x007D, MSG_HEADERS);
            unicode(
                    root,
                    0x1000,
                    "We noticed a sign-in from a new device.\r\n"
                            + "Review it at hxxps://secure-bank[.]example/review?id=7 within 24 hours.\r\n");
            binary(
                    root,
                    0x1013,
                    ("<html><body><p>We noticed a sign-in.</p>"
                                    + "<a href=\"https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fsecure-bank.example%2Flogin%3Fs%3D1&amp;data=05%7C01&amp;reserved=0\">Review</a>"
                                    + "</body></html>")
                            .getBytes(StandardCharsets.UTF_8));
            root.createDocument("__properties_version1.0", new ByteArrayInputStream(propertiesHeader(32, 1, 1)));

            DirectoryEntry recipient = root.createDirectory("__recip_version1.0_#00000000");
            unicode(recipient, 0x3001, "Alex");
            unicode(recipient, 0x39FE, "alex@example.com");

            DirectoryEntry attachment = root.createDirectory("__attach_version1.0_#00000000");
            unicode(attachment, 0x3707, "statement.html");
            unicode(attachment, 0x3704, "STATEM~1.HTM");
            unicode(attachment, 0x370E, "text/html");
            binary(
                    attachment,
                    0x3701,
                    "<html><form action=\"http://203.0.113.50/collect.php\"></form></html>"
                            .getBytes(StandardCharsets.UTF_8));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fs.writeFilesystem(out);
            return out.toByteArray();
        }
    }

    /** A TNEF winmail.dat as Outlook sends rich text mail: subject, plain body, one attachment. */
    static byte[] winmailDat() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le32(0x223E9F78));
        out.writeBytes(le16(0x0001));
        attribute(out, 1, 0x00089006, le32(0x00010000)); // attTnefVersion
        attribute(out, 1, 0x00069007, concat(le32(1252), le32(0))); // attOemCodepage
        attribute(out, 1, 0x00078008, cString("IPM.Microsoft Mail.Note")); // attMessageClass
        attribute(out, 1, 0x00018004, cString("Invoice overdue")); // attSubject
        attribute(
                out,
                1,
                0x00069003,
                mapiProps( // attMsgProps
                        string8(0x0037, "Invoice overdue"),
                        string8(0x1000, "Please pay the attached invoice today: http://pay-now.example/inv?id=991\r\n"),
                        string8(0x0C1A, "Accounts"),
                        string8(0x0C1F, "accounts@vendor.example")));
        attribute(out, 2, 0x00069002, new byte[14]); // attAttachRendData
        attribute(out, 2, 0x00018010, cString("INVOIC~1.DOC")); // attAttachTitle
        attribute(out, 2, 0x0006800F, "macro-laden invoice".getBytes(StandardCharsets.US_ASCII)); // attAttachData
        attribute(
                out,
                2,
                0x00069005,
                mapiProps( // attAttachment
                        string8(0x3707, "invoice-991.doc"), string8(0x370E, "application/msword")));
        return out.toByteArray();
    }

    public static void main(String[] args) throws IOException {
        Base64.Encoder base64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
        System.out.println("---- phish.msg ----");
        System.out.println(base64.encodeToString(phishMsg()));
        System.out.println("---- winmail.dat ----");
        System.out.println(base64.encodeToString(winmailDat()));
    }

    private static void unicode(DirectoryEntry dir, int property, String value) throws IOException {
        dir.createDocument(
                String.format("__substg1.0_%04X001F", property),
                new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_16LE)));
    }

    private static void binary(DirectoryEntry dir, int property, byte[] value) throws IOException {
        dir.createDocument(String.format("__substg1.0_%04X0102", property), new ByteArrayInputStream(value));
    }

    /** The header of the top-level property stream: reserved, next ids, counts, reserved. */
    private static byte[] propertiesHeader(int size, int recipients, int attachments) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0)
                .putInt(recipients)
                .putInt(attachments)
                .putInt(recipients)
                .putInt(attachments)
                .putLong(0);
        return b.array();
    }

    private static void attribute(ByteArrayOutputStream out, int level, int id, byte[] data) {
        out.write(level);
        out.writeBytes(le32(id));
        out.writeBytes(le32(data.length));
        out.writeBytes(data);
        int checksum = 0;
        for (byte b : data) {
            checksum = (checksum + (b & 0xFF)) & 0xFFFF;
        }
        out.writeBytes(le16(checksum));
    }

    private static byte[] mapiProps(byte[]... properties) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le32(properties.length));
        for (byte[] p : properties) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A PT_STRING8 MAPI property in TNEF: type, id, one value with its length, padded to 4 bytes. */
    private static byte[] string8(int id, String value) {
        byte[] text = cString(value);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le16(0x001E));
        out.writeBytes(le16(id));
        out.writeBytes(le32(1));
        out.writeBytes(le32(text.length));
        out.writeBytes(text);
        out.writeBytes(new byte[(4 - text.length % 4) % 4]);
        return out.toByteArray();
    }

    private static byte[] cString(String s) {
        return (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] le16(int v) {
        return ByteBuffer.allocate(2)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) v)
                .array();
    }
}

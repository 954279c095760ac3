package io.mailgate.parse;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Size and hashes of a stream, computed in one pass through a fixed buffer. */
final class AttachmentDigester {

    record Digests(long size, String sha256, String sha1, String md5) {}

    private AttachmentDigester() {}

    static Digests digest(InputStream in) throws IOException {
        MessageDigest sha256 = ContentFingerprint.sha256();
        MessageDigest sha1 = named("SHA-1");
        MessageDigest md5 = named("MD5"); // still what many threat-intel feeds key on
        byte[] buffer = new byte[64 * 1024];
        long size = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            sha1.update(buffer, 0, n);
            md5.update(buffer, 0, n);
            size += n;
        }
        HexFormat hex = HexFormat.of();
        return new Digests(
                size, hex.formatHex(sha256.digest()), hex.formatHex(sha1.digest()), hex.formatHex(md5.digest()));
    }

    private static MessageDigest named(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has " + algorithm, impossible);
        }
    }
}

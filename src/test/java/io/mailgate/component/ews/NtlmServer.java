package io.mailgate.component.ews;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The server side of NTLM as IIS runs it in front of Exchange: negotiate (Type 1), challenge (Type 2) and
 * authenticate (Type 3), per TCP connection, with the NTLMv2 response checked against the user's password. An
 * authenticated connection needs no further Authorization headers.
 */
final class NtlmServer {

    private static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
    private static final int FLAGS = 0x00000001 // unicode
            | 0x00000004 // request target
            | 0x00000200 // NTLM
            | 0x00008000 // always sign
            | 0x00010000 // target type domain
            | 0x00080000 // extended session security
            | 0x00800000 // target info
            | 0x20000000 // 128-bit
            | 0x80000000; // 56-bit

    /** What a Type 3 said, and whether its response proved the password. */
    record Authentication(String user, String domain, String workstation, boolean valid, boolean ntlmV2) {}

    private final Map<String, String> passwords; // lower-case user -> password
    private final Map<String, byte[]> challenges = new ConcurrentHashMap<>();
    private final Map<String, String> authenticatedConnections = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    NtlmServer(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /** The user a connection authenticated as, or null. */
    String userOf(String connection) {
        return authenticatedConnections.get(connection);
    }

    void connectionClosed(String connection) {
        authenticatedConnections.remove(connection);
        challenges.remove(connection);
    }

    /** A Type 1 message: answers with the Type 2 to send in WWW-Authenticate, remembering the challenge. */
    String challenge(String connection, byte[] type1) {
        if (!isType(type1, 1)) {
            throw new IllegalArgumentException("not an NTLM Type 1 message");
        }
        byte[] serverChallenge = new byte[8];
        random.nextBytes(serverChallenge);
        challenges.put(connection, serverChallenge);
        byte[] target = "MAILGATE".getBytes(StandardCharsets.UTF_16LE);
        byte[] info = targetInfo();
        int payload = 56;
        ByteBuffer b =
                ByteBuffer.allocate(payload + target.length + info.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE).putInt(2);
        b.putShort((short) target.length).putShort((short) target.length).putInt(payload);
        b.putInt(FLAGS).put(serverChallenge).putLong(0);
        b.putShort((short) info.length).putShort((short) info.length).putInt(payload + target.length);
        b.put(new byte[] {10, 0, 0x63, 0x45, 0, 0, 0, 15}); // version 10.0.17763, NTLM revision 15
        b.put(target).put(info);
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static byte[] targetInfo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        avPair(out, 2, "MAILGATE");
        avPair(out, 1, "EXCH01");
        avPair(out, 4, "example.com");
        avPair(out, 3, "exch01.example.com");
        out.writeBytes(new byte[] {0, 0, 0, 0}); // MsvAvEOL
        return out.toByteArray();
    }

    private static void avPair(ByteArrayOutputStream out, int id, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_16LE);
        out.write(id);
        out.write(0);
        out.write(v.length & 0xff);
        out.write(v.length >> 8);
        out.writeBytes(v);
    }

    /** A Type 3 message: checks it against the challenge sent on this connection. */
    Authentication authenticate(String connection, byte[] type3) {
        if (!isType(type3, 3)) {
            throw new IllegalArgumentException("not an NTLM Type 3 message");
        }
        byte[] serverChallenge = challenges.remove(connection);
        ByteBuffer b = ByteBuffer.wrap(type3).order(ByteOrder.LITTLE_ENDIAN);
        int flags = b.getInt(60);
        boolean unicode = (flags & 1) != 0;
        byte[] nt = field(b, 20);
        String domain = string(field(b, 28), unicode);
        String user = string(field(b, 36), unicode);
        String workstation = string(field(b, 44), unicode);
        String password = passwords.get(user.toLowerCase(Locale.ROOT));
        boolean v2 = nt.length > 24;
        boolean valid = serverChallenge != null
                && password != null
                && v2
                && checkV2(nt, serverChallenge, user, domain, password);
        if (valid) {
            authenticatedConnections.put(connection, user);
        }
        return new Authentication(user, domain, workstation, valid, v2);
    }

    private static boolean checkV2(byte[] nt, byte[] serverChallenge, String user, String domain, String password) {
        byte[] proof = Arrays.copyOfRange(nt, 0, 16);
        byte[] blob = Arrays.copyOfRange(nt, 16, nt.length);
        byte[] ntHash = md4(password.getBytes(StandardCharsets.UTF_16LE));
        // Windows takes the domain as the client sent it; accept the spellings clients use for it.
        for (String d : new String[] {domain, domain.toUpperCase(Locale.ROOT), ""}) {
            byte[] key = hmacMd5(ntHash, (user.toUpperCase(Locale.ROOT) + d).getBytes(StandardCharsets.UTF_16LE));
            byte[] expected = hmacMd5(key, concat(serverChallenge, blob));
            if (MessageDigest.isEqual(expected, proof)) {
                return true;
            }
        }
        return false;
    }

    static boolean isType(byte[] message, int type) {
        return message.length >= 12
                && Arrays.equals(Arrays.copyOf(message, 8), SIGNATURE)
                && ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN).getInt(8) == type;
    }

    private static byte[] field(ByteBuffer b, int at) {
        int length = b.getShort(at) & 0xffff;
        int offset = b.getInt(at + 4);
        return Arrays.copyOfRange(b.array(), offset, offset + length);
    }

    private static String string(byte[] bytes, boolean unicode) {
        return new String(bytes, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.US_ASCII);
    }

    private static byte[] md4(byte[] input) {
        MD4Digest digest = new MD4Digest();
        digest.update(input, 0, input.length);
        byte[] out = new byte[16];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

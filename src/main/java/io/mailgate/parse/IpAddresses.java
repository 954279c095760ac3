package io.mailgate.parse;

import java.util.Locale;

/** Textual IPv4/IPv6 addresses to bytes and classification, without ever touching the resolver. */
final class IpAddresses {

    private IpAddresses() {}

    /** 4 or 16 bytes, or null when the text is not an address. An IPv4-mapped IPv6 address gives 4 bytes. */
    static byte[] parse(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.regionMatches(true, 0, "IPv6:", 0, 5)) {
            s = s.substring(5);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        if (!ArtifactExtractor.isIpv6(s)) {
            return null;
        }
        byte[] out = new byte[16];
        String lower = s.toLowerCase(Locale.ROOT);
        int gap = lower.indexOf("::");
        String[] left = gap < 0
                ? lower.split(":", -1)
                : (gap == 0 ? new String[0] : lower.substring(0, gap).split(":", -1));
        String[] right = gap < 0
                ? new String[0]
                : (gap + 2 == lower.length()
                        ? new String[0]
                        : lower.substring(gap + 2).split(":", -1));
        int[] words = new int[8];
        int[] tail = expand(right);
        int[] head = expand(left);
        System.arraycopy(head, 0, words, 0, head.length);
        System.arraycopy(tail, 0, words, 8 - tail.length, tail.length);
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (words[i] >> 8);
            out[2 * i + 1] = (byte) words[i];
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= out[i] == 0;
        }
        if (mapped && out[10] == (byte) 0xFF && out[11] == (byte) 0xFF) {
            return new byte[] {out[12], out[13], out[14], out[15]};
        }
        return out;
    }

    private static int[] expand(String[] groups) {
        int n = 0;
        for (String g : groups) {
            n += g.indexOf('.') >= 0 ? 2 : 1;
        }
        int[] words = new int[n];
        int i = 0;
        for (String g : groups) {
            if (g.indexOf('.') >= 0) {
                byte[] v4 = ipv4(g);
                words[i++] = ((v4[0] & 0xFF) << 8) | (v4[1] & 0xFF);
                words[i++] = ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
            } else {
                words[i++] = Integer.parseInt(g, 16);
            }
        }
        return words;
    }

    private static byte[] ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    /**
     * Private, loopback, link-local, shared (CGNAT), unspecified or multicast: never the sender's public
     * address. Documentation ranges count as public, so example messages behave like real ones.
     */
    static boolean isInternal(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        if (a.length == 4) {
            return b0 == 0
                    || b0 == 10
                    || b0 == 127
                    || b0 >= 224
                    || (b0 == 172 && b1 >= 16 && b1 <= 31)
                    || (b0 == 192 && b1 == 168)
                    || (b0 == 169 && b1 == 254)
                    || (b0 == 100 && b1 >= 64 && b1 <= 127);
        }
        boolean allZeroButLast = true;
        for (int i = 0; i < 15; i++) {
            allZeroButLast &= a[i] == 0;
        }
        if (allZeroButLast && ((a[15] & 0xFF) <= 1)) {
            return true; // :: and ::1
        }
        return (b0 & 0xFE) == 0xFC // fc00::/7 unique local
                || (b0 == 0xFE && (b1 & 0xC0) == 0x80) // fe80::/10 link-local
                || b0 == 0xFF; // multicast
    }
}

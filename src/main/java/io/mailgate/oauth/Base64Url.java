package io.mailgate.oauth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** base64url without padding, as JWTs and PKCE use it. */
final class Base64Url {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Base64Url() {}

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] decode(String text) {
        return Base64.getUrlDecoder().decode(text);
    }

    /** {@code bytes} random bytes, base64url encoded (32 bytes give 43 characters). */
    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return encode(b);
    }
}

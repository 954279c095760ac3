package io.mailgate.incident;

/** What the decrypt step found, as stored on the message. */
public record DecryptionSummary(boolean encrypted, boolean decrypted, String signature) {

    public static final DecryptionSummary PLAIN = new DecryptionSummary(false, false, "NONE");
}

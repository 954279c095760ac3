package io.mailgate.secret;

/** A stored secret cannot be decrypted: the master key changed or the value was tampered with. */
class SecretUnreadableException extends RuntimeException {

    public SecretUnreadableException(String message) {
        super(message);
    }
}

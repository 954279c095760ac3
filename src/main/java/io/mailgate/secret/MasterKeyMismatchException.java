package io.mailgate.secret;

/** This node's master key is not the database's: it must not start. */
class MasterKeyMismatchException extends IllegalStateException {

    MasterKeyMismatchException(String message) {
        super(message);
    }
}

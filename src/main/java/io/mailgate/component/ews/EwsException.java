package io.mailgate.component.ews;

import java.time.Duration;

/**
 * A failure talking to Exchange, with a {@link Code} the connection-test flow can report as it is and the
 * {@link Stage} it belongs to. Messages name the host or folder but never a secret.
 */
public class EwsException extends RuntimeException {

    /** Where in connecting to a mailbox a failure happened (the API's test stages). */
    public enum Stage {
        DNS,
        CONNECT,
        PROXY,
        TLS,
        AUTH,
        FOLDER
    }

    public enum Code {
        UNKNOWN_HOST(Stage.DNS),
        CONNECTION_REFUSED(Stage.CONNECT),
        TIMEOUT(Stage.CONNECT),
        IO_ERROR(Stage.CONNECT),
        PROXY_AUTH_FAILED(Stage.PROXY),
        PROXY_FAILED(Stage.PROXY),
        UNTRUSTED_CERTIFICATE(Stage.TLS),
        HOSTNAME_MISMATCH(Stage.TLS),
        CERTIFICATE_EXPIRED(Stage.TLS),
        TLS_NOT_OFFERED(Stage.TLS),
        TLS_FAILED(Stage.TLS),
        AUTH_FAILED(Stage.AUTH),
        PERMISSION_MISSING(Stage.AUTH),
        MAILBOX_NOT_FOUND(Stage.FOLDER),
        FOLDER_NOT_FOUND(Stage.FOLDER),
        ITEM_NOT_FOUND(Stage.FOLDER),
        MESSAGE_TOO_LARGE(Stage.FOLDER),
        /** ErrorServerBusy or HTTP 503: see {@link #backOff()}. */
        THROTTLED(Stage.FOLDER),
        /** A SOAP fault or error response code we have no better name for. */
        SERVER_ERROR(Stage.FOLDER),
        /** A response that is not what EWS sends: not XML, a DTD, too large. */
        PROTOCOL_ERROR(Stage.CONNECT);

        private final Stage stage;

        Code(Stage stage) {
            this.stage = stage;
        }

        public Stage stage() {
            return stage;
        }
    }

    private final Code code;
    private final Stage stage;
    private final Duration backOff;
    private final String ewsResponseCode;

    EwsException(Code code, String message) {
        this(code, null, message, null, null, null);
    }

    EwsException(Code code, Stage stage, String message, Throwable cause) {
        this(code, stage, message, null, null, cause);
    }

    EwsException(Code code, Stage stage, String message, String ewsResponseCode, Duration backOff, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.stage = stage == null ? code.stage() : stage;
        this.ewsResponseCode = ewsResponseCode;
        this.backOff = backOff;
    }

    public Code code() {
        return code;
    }

    /** The stage, which for connection errors is PROXY when they concern the proxy rather than Exchange. */
    public Stage stage() {
        return stage;
    }

    /** How long the server asked us to wait (THROTTLED), or null. */
    public Duration backOff() {
        return backOff;
    }

    /** The EWS ResponseCode (such as ErrorServerBusy), when the server sent one. */
    public String ewsResponseCode() {
        return ewsResponseCode;
    }
}

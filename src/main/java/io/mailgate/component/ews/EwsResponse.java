package io.mailgate.component.ews;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a response said, as far as the consumer cares; see {@link EwsXml}. */
final class EwsResponse {

    record FolderHit(String id, String displayName) {}

    private static final Set<String> THROTTLING = Set.of(
            "ErrorServerBusy",
            "ErrorTooManyObjectsOpened",
            "ErrorExceededConnectionCount",
            "ErrorExceededSubscriptionCount",
            "ErrorExceededFindCountLimit",
            "ErrorTimeoutExpired");
    private static final Set<String> PERMISSION = Set.of(
            "ErrorAccessDenied",
            "ErrorImpersonateUserDenied",
            "ErrorImpersonationDenied",
            "ErrorInsufficientPermissions");
    private static final Set<String> NO_MAILBOX = Set.of(
            "ErrorNonExistentMailbox",
            "ErrorMailboxMoveInProgress",
            "ErrorMailboxStoreUnavailable",
            "ErrorNonPrimarySmtpAddress",
            "ErrorInvalidSmtpAddress");

    boolean fault;
    String faultCode;
    String responseClass;
    String responseCode;
    String messageText;
    /** MessageXml's InnerErrorResponseCode, which ErrorInternalServerError carries when it wraps another error. */
    String innerResponseCode;

    Duration backOff;
    int totalItemsInView = -1;
    boolean includesLastItemInRange;
    final List<EwsItem> items = new ArrayList<>();
    final List<FolderHit> folders = new ArrayList<>();
    /** The ResponseCode of each response message, in order: one per item of a batched GetItem or UpdateItem. */
    final List<String> messageCodes = new ArrayList<>();

    boolean hasMime;
    /** Indexes of the response messages that carried MimeContent. */
    final List<Integer> mimeMessages = new ArrayList<>();

    long mimeBytes;

    /**
     * The EWS response code of the failure, or null when the response is a success. ErrorInternalServerError with an
     * inner code (Exchange answers a throttled request with HTTP 200, ErrorInternalServerError and the inner code
     * ErrorServerBusy) is the inner code, so it is handled as what it is.
     */
    String errorCode() {
        String code = outerErrorCode();
        return "ErrorInternalServerError".equals(code) && innerResponseCode != null ? innerResponseCode : code;
    }

    private String outerErrorCode() {
        if (fault) {
            if (responseCode != null && !"NoError".equals(responseCode)) {
                return responseCode;
            }
            String code = faultCode == null ? "SoapFault" : faultCode;
            return code.substring(code.indexOf(':') + 1);
        }
        if (responseClass != null && !"Success".equals(responseClass)) {
            return responseCode == null ? responseClass : responseCode;
        }
        return responseCode != null && !"NoError".equals(responseCode) ? responseCode : null;
    }

    /** Whether the failure is Exchange throttling this account. */
    boolean throttled() {
        String code = errorCode();
        return code != null && THROTTLING.contains(code);
    }

    /** Throws the typed exception for a failed response; returns this otherwise. */
    EwsResponse orThrow(String operation, Duration defaultBackOff) {
        String code = errorCode();
        if (code == null) {
            return this;
        }
        String outer = outerErrorCode();
        String message = operation + " failed: " + (code.equals(outer) ? code : outer + "/" + code)
                + (messageText == null || messageText.isEmpty() ? "" : " (" + messageText + ")");
        EwsException.Code typed;
        Duration wait = null;
        if (THROTTLING.contains(code)) {
            typed = EwsException.Code.THROTTLED;
            wait = backOff != null ? backOff : defaultBackOff;
        } else if (PERMISSION.contains(code)) {
            typed = EwsException.Code.PERMISSION_MISSING;
        } else if (NO_MAILBOX.contains(code)) {
            typed = EwsException.Code.MAILBOX_NOT_FOUND;
        } else if ("ErrorFolderNotFound".equals(code)) {
            typed = EwsException.Code.FOLDER_NOT_FOUND;
        } else if ("ErrorItemNotFound".equals(code)) {
            typed = EwsException.Code.ITEM_NOT_FOUND;
        } else if ("ErrorMessageSizeExceeded".equals(code)) {
            typed = EwsException.Code.MESSAGE_TOO_LARGE;
        } else {
            typed = EwsException.Code.SERVER_ERROR;
        }
        throw new EwsException(typed, null, message, code, wait, null);
    }
}

package io.mailgate.component.msgraph;

/**
 * The outcome of {@link MsGraphMailClient#testConnection(String)}.
 *
 * @param failure        null when ok
 * @param message        for the admin: what went wrong and what to do
 * @param errorCode      Entra's AADSTS code or Graph's error code, when there is one
 * @param missingPermission for PERMISSION_MISSING: the permission to grant, e.g. Mail.ReadWrite.Shared
 * @param folder         the folder found (with its unread count) when ok
 * @param cause          the underlying exception for NETWORK (to tell DNS, proxy and TLS failures apart); not for display
 */
public record GraphConnectionTest(
        Failure failure,
        String message,
        String errorCode,
        String missingPermission,
        GraphFolder folder,
        Throwable cause) {

    public enum Failure {
        /** No access token: the credential, tenant or app registration is wrong (errorCode is AADSTS…). */
        TOKEN,
        /** The admin must consent, or grant access again (invalid_grant, AADSTS65001). */
        CONSENT_REQUIRED,
        /** Graph refused access to the mailbox: the permission in missingPermission is not granted. */
        PERMISSION_MISSING,
        /** The mailbox (user or shared address) does not exist or has no Exchange Online mailbox. */
        MAILBOX_NOT_FOUND,
        FOLDER_NOT_FOUND,
        /** Graph throttled the test; try again later. */
        THROTTLED,
        /** Entra ID or Graph could not be reached (DNS, connection, proxy, TLS): see cause. */
        NETWORK,
        /** Graph answered with another error. */
        GRAPH_ERROR
    }

    public boolean ok() {
        return failure == null;
    }

    static GraphConnectionTest ok(GraphFolder folder) {
        return new GraphConnectionTest(
                null,
                "Folder " + folder.displayName() + " found, " + folder.unreadItemCount() + " unread messages.",
                null,
                null,
                folder,
                null);
    }

    static GraphConnectionTest failed(Failure failure, String message, String errorCode, Throwable cause) {
        return new GraphConnectionTest(failure, message, errorCode, null, null, cause);
    }

    @Override
    public String toString() {
        return ok()
                ? "GraphConnectionTest[ok, " + folder + "]"
                : "GraphConnectionTest[" + failure + ", " + errorCode + ", " + message + "]";
    }
}

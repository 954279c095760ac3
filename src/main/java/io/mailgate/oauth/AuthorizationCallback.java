package io.mailgate.oauth;

import java.util.Map;

/**
 * What Entra sends back to /email-oauth: a code and the state, or an error and the state. Checking
 * the state (present, known, unused, not expired, bound to this admin) is the caller's; this only
 * reads the answer and explains an error in words an admin can act on.
 */
public record AuthorizationCallback(String code, String state, String error, String errorDescription) {

    public static AuthorizationCallback of(Map<String, String> query) {
        return new AuthorizationCallback(
                blankToNull(query.get("code")),
                blankToNull(query.get("state")),
                blankToNull(query.get("error")),
                blankToNull(query.get("error_description")));
    }

    public boolean isError() {
        return error != null || code == null;
    }

    /** A sentence for the error page; null when the callback carries a code. */
    public String describeError() {
        if (!isError()) {
            return null;
        }
        String description = errorDescription == null ? "" : " (" + errorDescription + ")";
        if (error == null) {
            return "Microsoft's answer has no authorization code. Start Grant Access again.";
        }
        if (has("AADSTS65004") || ("access_denied".equals(error) && !has("AADSTS"))) {
            return "Access was not granted: the account declined the permissions. Start Grant Access again and accept them"
                    + description + ".";
        }
        if (has("AADSTS65001") || has("AADSTS90094") || "consent_required".equals(error)) {
            return "An administrator must consent to the app's permissions (Mail.ReadWrite, Mail.ReadWrite.Shared, User.Read)"
                    + " in Microsoft Entra before this account can grant access" + description + ".";
        }
        if (has("AADSTS50011")) {
            return "The redirect URI is not registered on the app: add mailgate's …/email-oauth address as a Web redirect URI"
                    + " in Microsoft Entra" + description + ".";
        }
        if (has("AADSTS700016") || "unauthorized_client".equals(error) || "invalid_client".equals(error)) {
            return "The app registration does not allow this sign-in: check the application (client) id and tenant"
                    + description + ".";
        }
        return "Microsoft Entra refused the sign-in: " + error + description + ".";
    }

    private boolean has(String code) {
        return errorDescription != null && errorDescription.contains(code);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "AuthorizationCallback[code=" + (code == null ? "null" : "***") + ", state="
                + (state == null ? "null" : "***") + ", error=" + error + ", errorDescription=" + errorDescription
                + "]";
    }
}

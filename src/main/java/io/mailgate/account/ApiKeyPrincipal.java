package io.mailgate.account;

/** The caller behind a valid API key: it belongs to exactly one organization, with one role. */
record ApiKeyPrincipal(long keyId, long orgId, String prefix, Role role) {

    String name() {
        return "api-key:" + prefix;
    }
}

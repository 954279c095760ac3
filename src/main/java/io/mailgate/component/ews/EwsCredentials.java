package io.mailgate.component.ews;

import java.util.Objects;

/**
 * How the consumer signs in to Exchange. Referenced from the URI as a bean ({@code credentials=#name}), so the
 * password never appears in an endpoint URI.
 *
 * @param username   {@code user@domain} (UPN) or {@code DOMAIN\\user}; for a shared mailbox, the primary account
 * @param password   the password; never printed
 * @param authScheme NTLM, BASIC, or AUTO (the default: NTLM when the server offers it, else Basic)
 */
public record EwsCredentials(String username, String password, AuthScheme authScheme) {

    public enum AuthScheme {
        /** NTLM when the server offers it (on-premises Exchange does by default), otherwise Basic. */
        AUTO,
        NTLM,
        BASIC
    }

    /**
     * Credentials for a connection's email address as the API takes it: for {@code primary\shared} the account
     * that signs in is the primary.
     */
    public static EwsCredentials forEmailAddress(String emailAddress, String password, AuthScheme authScheme) {
        if (emailAddress == null || emailAddress.isBlank()) {
            throw new IllegalArgumentException("EWS credentials need an email address");
        }
        int slash = emailAddress.lastIndexOf('\\');
        return new EwsCredentials(
                slash < 0
                        ? emailAddress.trim()
                        : emailAddress.substring(0, slash).trim(),
                password,
                authScheme);
    }

    public EwsCredentials {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("EWS credentials need a user name");
        }
        Objects.requireNonNull(password, "EWS credentials need a password");
        authScheme = authScheme == null ? AuthScheme.AUTO : authScheme;
    }

    /** The NetBIOS domain of a {@code DOMAIN\\user} name, or null for a UPN. */
    String ntDomain() {
        int slash = username.indexOf('\\');
        return slash > 0 ? username.substring(0, slash) : null;
    }

    /** The user part of a {@code DOMAIN\\user} name, or the whole name. */
    String ntUser() {
        int slash = username.indexOf('\\');
        return slash > 0 ? username.substring(slash + 1) : username;
    }

    @Override
    public String toString() {
        return "EwsCredentials[username=" + username + ", password=***, authScheme=" + authScheme + "]";
    }
}

package io.mailgate.imap;

import jakarta.mail.PasswordAuthentication;
import java.util.function.Supplier;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Hands camel-mail the mailbox credentials at connect time, decrypting the password only then, so that the
 * password appears in no endpoint URI, route definition, JMX attribute or log line.
 * <p>
 * camel-mail calls {@link #getPasswordAuthentication()}, which it declares public, so anything that can call a
 * public method of this object gets the password. The object is therefore in Camel's registry only while the
 * route's endpoint is made (the connection's routes take it out again), and Jolokia may not send exchanges, so
 * neither {@code bean:…?method=getPasswordAuthentication} nor a language can reach it.
 */
public final class CredentialAuthenticator extends MailAuthenticator {

    private final String username;
    private final Supplier<String> password;

    public CredentialAuthenticator(String username, Supplier<String> password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public PasswordAuthentication getPasswordAuthentication() {
        return new PasswordAuthentication(username, password.get());
    }

    @Override
    public String toString() {
        return "CredentialAuthenticator[" + username + ", password=<redacted>]";
    }
}

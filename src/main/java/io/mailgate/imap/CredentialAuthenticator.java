package io.mailgate.imap;

import jakarta.mail.PasswordAuthentication;
import java.util.function.Supplier;
import org.apache.camel.component.mail.MailAuthenticator;

/**
 * Hands camel-mail the mailbox credentials at connect time, decrypting the password only then, so that the
 * password appears in no endpoint URI, route definition, JMX attribute or log line.
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

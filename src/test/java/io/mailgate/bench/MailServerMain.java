package io.mailgate.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * A GreenMail IMAP + SMTP server in its own JVM, for benchmarks: its in-memory mail store must not count
 * against the heap of the mailgate being measured. Args: imapPort smtpPort user password. Runs until killed.
 */
public final class MailServerMain {

    private MailServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        GreenMail mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(Integer.parseInt(args[0]), "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(Integer.parseInt(args[1]), "127.0.0.1", ServerSetup.PROTOCOL_SMTP)
        });
        mail.start();
        mail.setUser(args[2], args[2], args[3]);
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}

package io.mailgate.imap;

import jakarta.mail.Authenticator;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Creates the Jakarta Mail session of one IMAP connection. The same session serves the live route and the
 * connection test, so what the test proves is what the route does.
 */
public final class ImapSessions {

    private ImapSessions() {}

    /**
     * @param sslContext the connection's own trust (JVM authorities plus certificates trusted for it); unused
     *                   for {@link ImapEncryption#NONE}
     * @param timeout    bound on connecting and on every read and write, so a silent server cannot hang a poll
     */
    public static Session create(ImapEncryption encryption, SSLContext sslContext, Duration timeout) {
        String p = "mail." + encryption.protocol() + ".";
        Properties props = new Properties();
        props.put("mail.store.protocol", encryption.protocol());
        props.put(
                p + "class",
                encryption == ImapEncryption.SSL_TLS
                        ? NonExpungingImapSslStore.class.getName()
                        : NonExpungingImapStore.class.getName());
        String millis = Long.toString(timeout.toMillis());
        props.put(p + "connectiontimeout", millis);
        props.put(p + "timeout", millis);
        props.put(p + "writetimeout", millis);
        // Fetch with BODY.PEEK so reading a message never marks it \Seen; mailgate sets \Seen itself, later.
        props.put(p + "peek", "true");
        // Stream large messages in 1 MiB chunks instead of one huge literal: bounded memory, few round trips.
        props.put(p + "partialfetch", "true");
        props.put(p + "fetchsize", Integer.toString(1024 * 1024));
        // Do not let a server's SASL offer make Jakarta Mail fall back to something unexpected.
        props.put(p + "auth.plain.disable", "false");
        if (encryption != ImapEncryption.NONE) {
            props.put(p + "ssl.socketFactory", sslContext.getSocketFactory());
            props.put(p + "ssl.checkserveridentity", "true");
            props.put(p + "ssl.protocols", "TLSv1.3 TLSv1.2");
        }
        if (encryption == ImapEncryption.SSL_TLS) {
            props.put(p + "ssl.enable", "true");
        }
        if (encryption == ImapEncryption.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            // Without this Jakarta Mail silently continues in clear text when the server offers no STARTTLS.
            props.put(p + "starttls.required", "true");
        }
        Session session = Session.getInstance(props);
        // mail.<protocol>.class only selects among registered providers, so the store must be registered too;
        // otherwise Jakarta Mail silently falls back to its own store, whose close(true) expunges.
        session.addProvider(new Provider(
                Provider.Type.STORE, encryption.protocol(), props.getProperty(p + "class"), "mailgate", "1"));
        return session;
    }

    /**
     * The same session with the connection's authenticator, which Jakarta Mail asks for the credentials at
     * connect time (the password is decrypted only then), plus {@code extra} properties (IDLE needs socket
     * channels and a shared event executor). The store provider is registered again, since a registration
     * belongs to one session.
     */
    public static Session derive(Session session, Authenticator authenticator, Map<String, Object> extra) {
        Properties props = new Properties();
        props.putAll(session.getProperties());
        props.putAll(extra);
        Session derived = Session.getInstance(props, authenticator);
        String protocol = props.getProperty("mail.store.protocol");
        String storeClass = props.getProperty("mail." + protocol + ".class");
        if (protocol != null && storeClass != null) {
            derived.addProvider(new Provider(Provider.Type.STORE, protocol, storeClass, "mailgate", "1"));
        }
        derived.setDebug(session.getDebug());
        return derived;
    }
}

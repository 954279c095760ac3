package io.mailgate.connectiontest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Puts TLS with a chosen certificate in front of GreenMail's plain IMAP: implicit TLS like port 993, or
 * STARTTLS like port 143 (GreenMail's IMAP has no STARTTLS, and its IMAPS keystore is one per JVM). Without
 * TLS it is a recording relay. Either way it keeps what clients sent in clear, so a test can prove which
 * commands reached the server.
 */
public final class ImapFront implements AutoCloseable {

    private enum Mode {
        IMPLICIT_TLS,
        STARTTLS,
        PLAIN
    }

    private final Mode mode;
    private final SSLContext context;
    private final int backendPort;
    private final ServerSocket server;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ImapFront(Mode mode, SSLContext context, int backendPort) throws IOException {
        this.mode = mode;
        this.context = context;
        this.backendPort = backendPort;
        this.server = mode == Mode.IMPLICIT_TLS
                ? context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Relay.daemon("imap-front-accept", this::acceptLoop);
    }

    public static ImapFront implicitTls(TestCertificates.Issued certificate, int backendPort) throws IOException {
        return new ImapFront(Mode.IMPLICIT_TLS, certificate.serverContext(), backendPort);
    }

    public static ImapFront startTls(TestCertificates.Issued certificate, int backendPort) throws IOException {
        return new ImapFront(Mode.STARTTLS, certificate.serverContext(), backendPort);
    }

    public static ImapFront plain(int backendPort) throws IOException {
        return new ImapFront(Mode.PLAIN, null, backendPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Everything clients sent, as the server would read it (after TLS, in clear). */
    public String received() {
        synchronized (seen) {
            return seen.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Relay.daemon("imap-front-client", () -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            if (mode == Mode.STARTTLS) {
                client = negotiateStartTls(client);
                if (client == null) {
                    return;
                }
            }
            Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
            sockets.add(backend);
            if (mode == Mode.STARTTLS) {
                // The client already had a greeting, from this front; GreenMail's would be out of place.
                Relay.line(backend.getInputStream());
            }
            Relay.both(client, backend, seen);
        } catch (IOException e) {
            close(client);
        }
    }

    /** Speaks just enough IMAP to offer STARTTLS; returns the TLS socket, or null when the client gave up. */
    private Socket negotiateStartTls(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        write(out, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] test front ready");
        for (String line; (line = Relay.line(in)) != null; ) {
            record(line);
            String[] words = line.split(" ", 3);
            String tag = words[0];
            String command = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
            switch (command) {
                case "CAPABILITY" -> write(out, "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n" + tag + " OK done");
                case "STARTTLS" -> {
                    write(out, tag + " OK begin TLS now");
                    SSLSocket tls = (SSLSocket) context.getSocketFactory()
                            .createSocket(client, client.getInetAddress().getHostAddress(), client.getPort(), true);
                    tls.setUseClientMode(false);
                    sockets.add(tls);
                    tls.startHandshake();
                    return tls;
                }
                case "LOGOUT" -> {
                    write(out, "* BYE\r\n" + tag + " OK bye");
                    close(client);
                    return null;
                }
                default -> write(out, tag + " BAD only CAPABILITY, STARTTLS and LOGOUT before TLS");
            }
        }
        close(client);
        return null;
    }

    private void record(String line) {
        synchronized (seen) {
            seen.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static void write(OutputStream out, String lines) throws IOException {
        out.write((lines + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Test server cleanup.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(ImapFront::close);
    }
}

package io.mailgate.imap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * A loopback IMAP front for GreenMail that can make it behave like other servers or like a failing network,
 * line by line:
 * <ul>
 * <li>{@link #hideIdle()}: IDLE is taken out of every CAPABILITY list (a server without RFC 2177);</li>
 * <li>{@link #dovecotOrder()}: untagged responses the server sends before IDLE's continuation are sent right
 * after it, in the same write ({@code + idling\r\n* 5 EXISTS\r\n}), as Dovecot does when mail arrived just
 * before the client started to idle;</li>
 * <li>{@link #beforeNext(String, Runnable)}: runs something once, just before the next client command with that
 * name reaches the server (deliver a message after the client's last search, say);</li>
 * <li>{@link #cut()} drops every open connection, {@link #down(boolean)} refuses new ones (a dead server).</li>
 * </ul>
 */
final class ImapTestFront implements AutoCloseable {

    private static final Pattern IDLE_CAPABILITY = Pattern.compile(" IDLE(?=[ \\]\\r])");

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicReference<String> hookCommand = new AtomicReference<>();
    private final AtomicReference<Runnable> hook = new AtomicReference<>();
    private volatile boolean hideIdle;
    private volatile boolean dovecotOrder;
    private volatile boolean down;

    ImapTestFront(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "imap-test-front");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    ImapTestFront hideIdle() {
        hideIdle = true;
        return this;
    }

    ImapTestFront dovecotOrder() {
        dovecotOrder = true;
        return this;
    }

    /** Runs {@code action} once, before the next client command named {@code command} (e.g. IDLE) is passed on. */
    void beforeNext(String command, Runnable action) {
        hook.set(null);
        hookCommand.set(command.toUpperCase());
        hook.set(action);
    }

    /** Whether the hook set by {@link #beforeNext} has run. */
    boolean hookRan() {
        return hook.get() == null;
    }

    /** Closes every connection open now, as a server restart or a network failure does. */
    void cut() throws IOException {
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
            sockets.clear();
        }
    }

    /** While down, a new connection is accepted and closed at once: the server is not there. */
    void down(boolean down) {
        this.down = down;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down) {
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                Connection connection = new Connection();
                start(() -> connection.clientToServer(client, server));
                start(() -> connection.serverToClient(server, client));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void start(Runnable pipe) {
        Thread t = new Thread(pipe, "imap-test-front-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** One client connection: both directions, line by line (literals pass through as lines of bytes). */
    private final class Connection {

        private volatile boolean idleSent;

        void clientToServer(Socket client, Socket server) {
            try (InputStream in = new BufferedInputStream(client.getInputStream());
                    OutputStream out = server.getOutputStream()) {
                for (byte[] line = readLine(in); line != null; line = readLine(in)) {
                    String text = new String(line, StandardCharsets.ISO_8859_1).trim();
                    String[] words = text.split(" ");
                    String command = words.length >= 2 ? words[1].toUpperCase() : "";
                    if (command.equals("UID") && words.length >= 3) {
                        command = "UID " + words[2].toUpperCase();
                    }
                    if (command.equals(hookCommand.get())) {
                        Runnable action = hook.getAndSet(null);
                        if (action != null) {
                            action.run();
                        }
                    }
                    if (command.equals("IDLE")) {
                        idleSent = true;
                    }
                    out.write(line);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side closed
            } finally {
                closeQuietly(client, server);
            }
        }

        void serverToClient(Socket server, Socket client) {
            try (InputStream in = new BufferedInputStream(server.getInputStream());
                    OutputStream out = client.getOutputStream()) {
                ByteArrayOutputStream held = new ByteArrayOutputStream();
                for (byte[] line = readLine(in); line != null; line = readLine(in)) {
                    String text = new String(line, StandardCharsets.ISO_8859_1);
                    if (hideIdle && text.contains("CAPABILITY")) {
                        line = IDLE_CAPABILITY.matcher(text).replaceAll("").getBytes(StandardCharsets.ISO_8859_1);
                    }
                    if (dovecotOrder && idleSent) {
                        if (text.startsWith("* ")) {
                            held.write(line);
                            continue;
                        }
                        if (text.startsWith("+")) {
                            idleSent = false;
                            ByteArrayOutputStream together = new ByteArrayOutputStream();
                            together.write(line);
                            held.writeTo(together);
                            held.reset();
                            out.write(together.toByteArray());
                            out.flush();
                            continue;
                        }
                        idleSent = false;
                        held.writeTo(out);
                        held.reset();
                    }
                    out.write(line);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side closed
            } finally {
                closeQuietly(client, server);
            }
        }
    }

    /** One line including its CRLF, or the rest of the stream; null at its end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}

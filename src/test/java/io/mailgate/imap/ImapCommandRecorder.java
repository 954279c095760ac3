package io.mailgate.imap;

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

/**
 * A loopback TCP relay in front of the IMAP server that keeps every line the client sends, so a test can see
 * which IMAP commands a source really issued (how many FETCH, STORE and which sections).
 */
final class ImapCommandRecorder implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new ArrayList<>();
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    ImapCommandRecorder(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "imap-recorder");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The client's command lines so far (tags included); literal data the client sends is not expected here. */
    List<String> commands() {
        synchronized (sent) {
            return List.of(sent.toString(StandardCharsets.ISO_8859_1).split("\r\n"));
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (sockets) {
                    sockets.add(client);
                    sockets.add(server);
                }
                pipe(client.getInputStream(), server.getOutputStream(), true);
                pipe(server.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(InputStream in, OutputStream out, boolean record) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (in;
                            out) {
                        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                            if (record) {
                                synchronized (sent) {
                                    sent.write(buffer, 0, n);
                                }
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException closed) {
                        // the other side closed
                    }
                },
                "imap-recorder-pipe");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}

package io.mailgate.connectiontest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A minimal HTTP(S) proxy: CONNECT only, Basic authentication, then a blind tunnel. */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private ConnectProxy(ServerSocket server, String username, String password) {
        this.server = server;
        this.expectedAuthorization = "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        Relay.daemon("proxy-accept", this::acceptLoop);
    }

    static ConnectProxy http(String username, String password) throws IOException {
        return new ConnectProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), username, password);
    }

    static ConnectProxy https(TestCertificates.Issued certificate, String username, String password)
            throws IOException {
        return new ConnectProxy(
                certificate
                        .serverContext()
                        .getServerSocketFactory()
                        .createServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                username,
                password);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Relay.daemon("proxy-client", () -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            int first = in.read();
            if (first == 0x16) {
                // A TLS handshake record where an HTTP request belongs: answer as a real proxy does.
                out.write(
                        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                client.close();
                return;
            }
            String requestLine = (char) first + Relay.line(in);
            String authorization = null;
            for (String header; (header = Relay.line(in)) != null && !header.isEmpty(); ) {
                if (header.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
                    authorization = header.substring(20).trim();
                }
            }
            if (!expectedAuthorization.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                                + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                client.close();
                return;
            }
            String target = requestLine.split(" ")[1];
            int colon = target.lastIndexOf(':');
            Socket backend;
            try {
                backend = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
            } catch (IOException e) {
                out.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                client.close();
                return;
            }
            sockets.add(backend);
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Relay.both(client, backend, null);
        } catch (IOException | RuntimeException e) {
            try {
                client.close();
            } catch (IOException ignored) {
                // Test server cleanup.
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}

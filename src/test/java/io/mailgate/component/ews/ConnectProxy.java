package io.mailgate.component.ews;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A forward proxy that only tunnels (CONNECT), as corporate proxies in front of Exchange do, optionally over TLS
 * itself (an HTTPS proxy), asking for Basic Proxy-Authorization when it has a user. Public for the Graph tests
 * of an HTTPS proxy.
 */
public final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String user;
    private final String password;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** host:port of each tunnel opened. */
    public final List<String> tunnels = new CopyOnWriteArrayList<>();

    public final List<String> refusals = new CopyOnWriteArrayList<>();

    private final NtlmServer ntlm;
    final List<NtlmServer.Authentication> ntlmAuthentications = new CopyOnWriteArrayList<>();

    public ConnectProxy(String user, String password, SSLContext tls) throws IOException {
        this(user, password, tls, false);
    }

    /** With {@code ntlm}, the proxy asks for NTLM instead of Basic, as a proxy in a Windows domain does. */
    public ConnectProxy(String user, String password, SSLContext tls, boolean ntlm) throws IOException {
        this.ntlm = ntlm ? new NtlmServer(Map.of(user.toLowerCase(Locale.ROOT), password)) : null;
        this.user = user;
        this.password = password;
        server = tls == null
                ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
                : tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "connect-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head.isEmpty()) {
                    client.close();
                    return;
                }
                String[] requestLine = head.get(0).split(" ");
                if (!"CONNECT".equals(requestLine[0])) {
                    write(out, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    client.close();
                    return;
                }
                if (ntlm != null) {
                    String challenge = ntlmStep(client, head);
                    if (challenge != null) {
                        refusals.add(requestLine[1]);
                        write(
                                out,
                                "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: " + challenge
                                        + "\r\nContent-Length: 0\r\n\r\n");
                        continue;
                    }
                } else if (user != null && !authorized(head)) {
                    refusals.add(requestLine[1]);
                    // Keep the connection: the client answers the challenge on it.
                    write(
                            out,
                            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
                                    + "Content-Length: 0\r\n\r\n");
                    continue;
                }
                String[] target = requestLine[1].split(":");
                Socket upstream = new Socket(target[0], Integer.parseInt(target[1]));
                sockets.add(upstream);
                tunnels.add(requestLine[1]);
                write(out, "HTTP/1.1 200 Connection established\r\n\r\n");
                start(() -> pipe(upstream, client));
                pipe(client, upstream);
                return;
            }
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** Null once the connection has authenticated; otherwise the Proxy-Authenticate value to send. */
    private String ntlmStep(Socket client, List<String> head) {
        String connection = client.getRemoteSocketAddress().toString();
        if (ntlm.userOf(connection) != null) {
            return null;
        }
        String token = head.stream()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("proxy-authorization: ntlm "))
                .map(l -> l.substring("proxy-authorization: ntlm ".length()).trim())
                .findFirst()
                .orElse(null);
        if (token == null) {
            return "NTLM";
        }
        byte[] message = Base64.getDecoder().decode(token);
        if (NtlmServer.isType(message, 1)) {
            return "NTLM " + ntlm.challenge(connection, message);
        }
        NtlmServer.Authentication result = ntlm.authenticate(connection, message);
        ntlmAuthentications.add(result);
        return result.valid() ? null : "NTLM";
    }

    private boolean authorized(List<String> head) {
        String expected = "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        return head.stream()
                .anyMatch(line -> line.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")
                        && line.substring(line.indexOf(':') + 1).trim().equals(expected));
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
                if (s.isEmpty()) {
                    return lines;
                }
                lines.add(s);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "connect-proxy-conn");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}

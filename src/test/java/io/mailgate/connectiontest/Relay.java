package io.mailgate.connectiontest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Byte plumbing shared by the test servers: copying both ways, reading one line or one HTTP header. */
final class Relay {

    private Relay() {}

    /** Copies both ways until either side closes; what the client sends is also written to {@code seen}. */
    static void both(Socket client, Socket backend, ByteArrayOutputStream seen) {
        daemon("relay-up", () -> copy(client, backend, seen));
        daemon("relay-down", () -> copy(backend, client, null));
    }

    private static void copy(Socket from, Socket to, ByteArrayOutputStream seen) {
        byte[] buffer = new byte[8192];
        try (from;
                to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (seen != null) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // One side went away; closing both ends is all there is to do.
        }
    }

    /** Reads up to and including CRLF, one byte at a time so nothing after the line is consumed. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

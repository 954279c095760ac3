package io.mailgate.connectiontest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A server that sends one byte every 200 ms and never a whole line: every read succeeds, so no read timeout
 * ever fires. Only a bound on the whole test stops a client, and {@link #clientGone} tells whether it let go.
 */
final class DribblingServer implements AutoCloseable {

    private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "dribble");
        thread.setDaemon(true);
        return thread;
    });
    final CountDownLatch clientGone = new CountDownLatch(1);

    DribblingServer() throws IOException {
        Relay.daemon("dribble-accept", this::serveOne);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serveOne() {
        try {
            Socket client = server.accept();
            ticks.scheduleAtFixedRate(
                    () -> {
                        try {
                            client.getOutputStream().write('*');
                            client.getOutputStream().flush();
                        } catch (IOException e) {
                            clientGone.countDown();
                            throw new IllegalStateException("client gone", e);
                        }
                    },
                    0,
                    200,
                    TimeUnit.MILLISECONDS);
            // A read returns -1 (or fails) once the client closes its end.
            while (client.getInputStream().read() >= 0) {
                // Discard whatever the client says.
            }
            clientGone.countDown();
        } catch (IOException e) {
            clientGone.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        ticks.shutdownNow();
        server.close();
    }
}

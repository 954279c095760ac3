package io.mailgate.connectiontest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Remembers every socket a Jakarta Mail session opens, so a test past its deadline can be stopped. Read
 * timeouts alone do not stop a server that sends a byte now and then; closing the socket does, and frees the
 * thread instead of leaving it to a server's whims. Trust, protocols and host name checks stay the delegate's.
 */
final class TrackedSockets {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SocketFactory plain(SocketFactory delegate) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() throws IOException {
                return track(delegate.createSocket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return track(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return track(delegate.createSocket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return track(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return track(delegate.createSocket(host, port, local, localPort));
            }
        };
    }

    SSLSocketFactory tls(SSLSocketFactory delegate) {
        return new SSLSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return delegate.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return delegate.getSupportedCipherSuites();
            }

            @Override
            public Socket createSocket() throws IOException {
                return track(delegate.createSocket());
            }

            @Override
            public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
                return track(delegate.createSocket(socket, host, port, autoClose));
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return track(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
                return track(delegate.createSocket(host, port, local, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return track(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
                    throws IOException {
                return track(delegate.createSocket(host, port, local, localPort));
            }
        };
    }

    void closeAll() {
        closed = true;
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Being discarded anyway.
            }
        }
    }

    private Socket track(Socket socket) throws IOException {
        sockets.add(socket);
        if (closed) {
            // The deadline passed while this socket was being made: it must not outlive the test either.
            socket.close();
        }
        return socket;
    }
}

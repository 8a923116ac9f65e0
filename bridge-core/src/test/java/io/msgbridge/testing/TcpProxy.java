package io.msgbridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forwards a local port to a target, so a test can make a server appear on a port it knew to be closed,
 * or vanish from one ({@link #close()} drops every connection and refuses new ones). With a delay it is
 * a slow network link: each chunk is forwarded, in both directions, that long after it arrived, so that
 * a test can interrupt a run of a few seconds in the middle.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Duration delay;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public TcpProxy(int listenPort, String targetHost, int targetPort) throws IOException {
        this(listenPort, targetHost, targetPort, Duration.ZERO);
    }

    private TcpProxy(int listenPort, String targetHost, int targetPort, Duration delay) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.delay = delay;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", listenPort));
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    /** A slow link on a free port to {@code targetPort} on the loopback address. */
    public static TcpProxy delaying(int targetPort, Duration delay) throws IOException {
        return new TcpProxy(Ports.free(), "127.0.0.1", targetPort, delay);
    }

    /** The port this proxy listens on (127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (delay.isPositive()) {
                    Thread.sleep(delay);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed: the finally block closes the other
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the peer is gone already; nothing to tell
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TcpProxy::closeQuietly);
    }
}

package io.msgbridge.nats;

import io.msgbridge.testing.Ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free port in front of a nats-server that can lose what a client writes, the way a
 * connection does when it dies: {@link #stall()} stops reading from the clients (their bytes pile up
 * in socket buffers and, once those are full, in the client library's queue), {@link #cut()} then
 * resets every connection, so the piled-up bytes never reach the server. New connections are
 * forwarded normally.
 */
public final class StallingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object stallLock = new Object();
    private boolean stalled;

    public StallingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress("127.0.0.1", Ports.free()));
        Thread.ofPlatform().daemon().name("stalling-proxy-accept").start(this::acceptLoop);
    }

    public String url() {
        return "nats://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, what clients write is not read until {@link #cut()}. */
    public void stall() {
        synchronized (stallLock) {
            stalled = true;
        }
    }

    /** Resets every connection (what was not forwarded is lost) and forwards new ones normally. */
    public void cut() {
        synchronized (stallLock) {
            stalled = false;
            stallLock.notifyAll();
        }
        for (Socket socket : sockets) {
            reset(socket);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket("127.0.0.1", targetPort);
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().start(() -> pump(client, server, true));
                Thread.ofPlatform().daemon().start(() -> pump(server, client, false));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            while (true) {
                if (fromClient && !awaitNotStalled(from)) {
                    return;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (fromClient && isStalled()) {
                    // Read just as the stall began: these bytes are lost with the connection.
                    awaitNotStalled(from);
                    return;
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            reset(from);
            reset(to);
        }
    }

    private boolean isStalled() {
        synchronized (stallLock) {
            return stalled;
        }
    }

    /** Waits while stalled; false when the connection was reset meanwhile. */
    private boolean awaitNotStalled(Socket socket) {
        synchronized (stallLock) {
            while (stalled && !socket.isClosed()) {
                try {
                    stallLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !socket.isClosed();
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // closed already
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}

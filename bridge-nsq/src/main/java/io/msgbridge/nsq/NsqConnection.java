package io.msgbridge.nsq;

import io.msgbridge.backend.PemSslContext;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection to one nsqd, speaking protocol V2. {@link #open} connects and performs the
 * handshake (magic, IDENTIFY with feature negotiation, TLS, AUTH) on the caller's thread;
 * {@link #subscribe} may follow; {@link #start} then hands the connection to its own reader thread,
 * which answers heartbeats with {@code NOP} and passes every other frame to a {@link Listener}.
 *
 * <p>Writes are serialised: any thread may call {@link #send} or {@link #sendSoon}. A write that fails
 * closes the connection.
 */
final class NsqConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NsqConnection.class);
    /** Errors that say the configuration cannot work: retrying the same connection does not help. */
    private static final Set<String> REFUSALS = Set.of("E_AUTH_FAILED", "E_UNAUTHORIZED", "E_AUTH_FIRST", "E_BAD_TOPIC", "E_BAD_CHANNEL");

    /** Receives what the reader thread reads. Called on the reader thread: must not block. */
    interface Listener {
        void onMessage(NsqConnection connection, NsqMessage message);

        /** A response frame other than a heartbeat: {@code OK}, {@code CLOSE_WAIT}. */
        void onResponse(NsqConnection connection, String response);

        void onError(NsqConnection connection, NsqError error);

        /** The connection ended; {@code cause} is null when {@link #close()} ended it. */
        void onClosed(NsqConnection connection, Exception cause);
    }

    private final NsqAddress address;
    /** Makes flush threads (a flush starts for each burst of FINs); thread-safe, unlike a builder. */
    private final ThreadFactory flusher;
    private final Identify.Response negotiated;
    private final Socket socket;
    private final OutputStream out;
    private final FrameReader reader;
    /** Commands queued by {@link #sendSoon}, written before anything else goes out. */
    private final ConcurrentLinkedQueue<byte[]> soon = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushStarted = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean writeBroken;
    private volatile boolean readerDone;

    private NsqConnection(NsqAddress address, Identify.Response negotiated, Socket socket, OutputStream out, FrameReader reader) {
        this.address = address;
        this.flusher = Thread.ofVirtual().name("nsq-flush-" + address).factory();
        this.negotiated = negotiated;
        this.socket = socket;
        this.out = out;
        this.reader = reader;
    }

    /**
     * Connects and shakes hands.
     *
     * @throws RetriableException when nsqd cannot be reached or the connection fails on the way
     * @throws PermanentException when nsqd refuses the configuration (authentication, TLS not offered)
     */
    static NsqConnection open(NsqAddress address, NsqConnectionOptions options) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address.host(), address.port()), (int) options.connectTimeout().toMillis());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) options.connectTimeout().toMillis());
            Handshake handshake = new Handshake(address, socket);
            handshake.write(Commands.MAGIC_V2);
            handshake.write(Commands.identify(Identify.request(options)));
            Identify.Response response = Identify.Response.parse(handshake.response("IDENTIFY"), options.msgTimeout());
            if (options.tls().isPresent()) {
                if (!response.tls()) {
                    throw new PermanentException("nsqd " + address + " does not offer TLS, but tls is configured "
                            + "(start nsqd with --tls-cert and --tls-key, or remove tls)");
                }
                SSLSocket tls = (SSLSocket) sslContext(options.tls().get()).getSocketFactory()
                        .createSocket(socket, address.host(), address.port(), true);
                tls.setUseClientMode(true);
                tls.startHandshake();
                socket = tls;
                handshake = new Handshake(address, tls);
                handshake.response("TLS upgrade");
            }
            if (response.authRequired()) {
                if (options.authSecret().isEmpty()) {
                    throw new PermanentException("nsqd " + address + " requires AUTH: set auth-secret");
                }
                handshake.write(Commands.auth(options.authSecret().get().reveal().getBytes(StandardCharsets.UTF_8)));
                handshake.response("AUTH");
            } else if (options.authSecret().isPresent()) {
                LOG.info("nsqd {} does not require AUTH; auth-secret is not sent", address);
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.heartbeatInterval().toMillis() * 2 + 5000));
            return new NsqConnection(address, response, socket, handshake.out, handshake.reader);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new RetriableException("cannot connect to nsqd " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** {@code SUB topic channel} and its {@code OK}, before {@link #start}. */
    void subscribe(String topic, String channel) {
        try {
            Handshake handshake = new Handshake(address, socket, out, reader);
            handshake.write(Commands.sub(topic, channel));
            handshake.response("SUB " + topic + " " + channel);
        } catch (IOException e) {
            close();
            throw new RetriableException("SUB " + topic + " " + channel + " on nsqd " + address + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Starts the reader thread. */
    void start(Listener listener, String threadName) {
        Thread.ofPlatform().name(threadName).daemon().start(() -> readLoop(listener));
    }

    private void readLoop(Listener listener) {
        Exception cause = null;
        try {
            while (!closed) {
                Frame frame = reader.next();
                switch (frame.type()) {
                    case RESPONSE -> {
                        if (frame.isHeartbeat()) {
                            send(Commands.NOP);
                        } else {
                            listener.onResponse(this, frame.text());
                        }
                    }
                    case ERROR -> listener.onError(this, NsqError.parse(frame.text()));
                    case MESSAGE -> listener.onMessage(this, frame.message());
                }
            }
        } catch (IOException | RuntimeException e) {
            cause = closed ? null : e;
        } finally {
            closed = true;
            readerDone = true;
            closeQuietly(socket);
            listener.onClosed(this, cause);
        }
    }

    /**
     * Writes one or more commands and flushes. Returns false when the connection is gone. A failed write
     * stops further writes but leaves the reader running until nsqd closes the connection, so that an
     * error nsqd sent before closing (say {@code E_BAD_MESSAGE} for a body it would not read) still
     * reaches the listener.
     */
    boolean send(byte[]... commands) {
        if (closed || writeBroken) {
            return false;
        }
        try {
            synchronized (out) {
                for (byte[] queued; (queued = soon.poll()) != null; ) {
                    out.write(queued);
                }
                for (byte[] command : commands) {
                    out.write(command);
                }
                out.flush();
            }
            return true;
        } catch (IOException e) {
            LOG.debug("write to nsqd {} failed: {}", address, e.toString());
            writeBroken = true;
            try {
                socket.shutdownOutput();
            } catch (IOException ignored) {
                // the reader ends the connection
            }
            return false;
        }
    }

    /**
     * Queues a command to be written shortly, by a flush started for it unless one is on its way: the
     * {@code FIN}s of a burst of finished records (a lane settles a pass's records together) then go out
     * in one write rather than one system call each. Anything sent with {@link #send} goes after what
     * was queued before it, and {@link #close} writes what is still queued.
     */
    void sendSoon(byte[] command) {
        soon.add(command);
        if (flushStarted.compareAndSet(false, true)) {
            flusher.newThread(() -> {
                flushStarted.set(false);
                send();
            }).start();
        }
    }

    NsqAddress address() {
        return address;
    }

    Identify.Response negotiated() {
        return negotiated;
    }

    /** Whether commands can still be written. */
    boolean isOpen() {
        return !closed && !writeBroken;
    }

    /** Whether the reader thread has ended (and {@link Listener#onClosed} runs or ran). */
    boolean readerDone() {
        return readerDone;
    }

    /** Closes the socket; the reader thread then ends and reports {@link Listener#onClosed}. Idempotent. */
    @Override
    public void close() {
        if (!soon.isEmpty()) {
            send();
        }
        closed = true;
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Synchronous request/response before the reader thread runs; heartbeats are answered on the way. */
    private static final class Handshake {
        private final NsqAddress address;
        private final OutputStream out;
        private final FrameReader reader;

        Handshake(NsqAddress address, Socket socket) throws IOException {
            this(address, socket, new BufferedOutputStream(socket.getOutputStream(), 64 * 1024),
                    new FrameReader(new BufferedInputStream(socket.getInputStream(), 64 * 1024)));
        }

        Handshake(NsqAddress address, Socket socket, OutputStream out, FrameReader reader) {
            this.address = address;
            this.out = out;
            this.reader = reader;
        }

        void write(byte[] bytes) throws IOException {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        }

        byte[] response(String what) throws IOException {
            while (true) {
                Frame frame = reader.next();
                if (frame.isHeartbeat()) {
                    write(Commands.NOP);
                } else if (frame.type() == Frame.Type.RESPONSE) {
                    return frame.data();
                } else if (frame.type() == Frame.Type.ERROR) {
                    NsqError error = NsqError.parse(frame.text());
                    String message = what + " refused by nsqd " + address + ": " + error;
                    if (REFUSALS.contains(error.code())) {
                        throw new PermanentException(message);
                    }
                    throw new RetriableException(message);
                } else {
                    throw new IOException("unexpected message frame during " + what);
                }
            }
        }
    }

    /** The context for {@code tls_v1}: the JDK's trust store, or the CA certificates of the configured PEM file. */
    private static SSLContext sslContext(NsqTls tls) {
        try {
            return PemSslContext.create(tls.ca(), Optional.empty(), Optional.empty());
        } catch (IOException | GeneralSecurityException e) {
            throw new PermanentException("cannot read the TLS CA file " + tls.ca().orElse(null) + ": " + e.getMessage(), e);
        }
    }
}

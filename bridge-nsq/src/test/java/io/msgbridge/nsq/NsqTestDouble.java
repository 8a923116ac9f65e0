package io.msgbridge.nsq;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of nsqd, for machines without one: the TCP protocol V2 (IDENTIFY with feature
 * negotiation, AUTH, SUB, RDY as an in-flight window up to max_rdy_count, FIN/REQ/TOUCH with nsqd's
 * non-fatal errors, PUB/MPUB/DPUB with nsqd's size checks, CLS, heartbeats, message timeouts that
 * requeue with attempts + 1) and the HTTP API's {@code /ping}, {@code /pub}, {@code /mpub},
 * {@code /stats}, {@code /topic/create} and {@code /channel/create} ({@link TestDoubleHttp}). Messages
 * live in memory only. No TLS, no compression (it answers {@code tls_v1: false}).
 *
 * <p>Switches for tests: {@link #dropConnections()} cuts every client connection mid-stream (their
 * in-flight messages time out and are redelivered, as with nsqd); {@link #failPublishes(boolean)}
 * answers publishes with {@code E_PUB_FAILED}/{@code E_MPUB_FAILED}.
 */
public final class NsqTestDouble implements NsqBroker {

    /**
     * Server limits, nsqd's defaults unless a test changes them.
     *
     * @param authSecret the secret clients must AUTH with, or null for none
     */
    public record Settings(int maxRdyCount, int maxMsgSize, int maxBodySize, Duration msgTimeout, Duration maxMsgTimeout,
                           Duration maxReqTimeout, String authSecret) {
        public static Settings defaults() {
            return new Settings(2500, 1024 * 1024, 5 * 1024 * 1024, Duration.ofSeconds(60), Duration.ofMinutes(15),
                    Duration.ofHours(1), null);
        }

        public Settings withAuthSecret(String secret) {
            return new Settings(maxRdyCount, maxMsgSize, maxBodySize, msgTimeout, maxMsgTimeout, maxReqTimeout, secret);
        }

        public Settings withMaxRdyCount(int count) {
            return new Settings(count, maxMsgSize, maxBodySize, msgTimeout, maxMsgTimeout, maxReqTimeout, authSecret);
        }
    }

    private final Settings settings;
    private final TestDoubleTopics topics = new TestDoubleTopics();
    private final Set<TestDoubleClient> clients = ConcurrentHashMap.newKeySet();
    private final ServerSocket server;
    private final TestDoubleHttp http;
    private final ScheduledExecutorService timer;
    private final AtomicInteger maxRdySeen = new AtomicInteger();
    private volatile boolean failPublishes;
    private volatile boolean closed;

    private NsqTestDouble(Settings settings) throws IOException {
        this.settings = settings;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.http = new TestDoubleHttp(topics, settings, this);
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("nsq-double-timer").factory());
        timer.scheduleWithFixedDelay(this::tick, 20, 20, TimeUnit.MILLISECONDS);
        Thread.ofPlatform().daemon().name("nsq-double-accept").start(this::acceptLoop);
    }

    /** Starts a double on free loopback ports with nsqd's default limits. */
    public static NsqTestDouble start() throws IOException {
        return start(Settings.defaults());
    }

    public static NsqTestDouble start(Settings settings) throws IOException {
        return new NsqTestDouble(settings);
    }

    Settings settings() {
        return settings;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                TestDoubleClient client = new TestDoubleClient(this, topics, socket);
                clients.add(client);
                client.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("NsqTestDouble accept failed: " + e);
                }
            }
        }
    }

    private void tick() {
        try {
            topics.tick();
            long now = System.nanoTime();
            clients.forEach(c -> c.tick(now));
        } catch (RuntimeException e) {
            System.err.println("NsqTestDouble tick failed: " + e);
        }
    }

    void left(TestDoubleClient client) {
        clients.remove(client);
    }

    void rdySeen(int count) {
        maxRdySeen.accumulateAndGet(count, Math::max);
    }

    boolean failPublishes() {
        return failPublishes;
    }

    /** Cuts every client connection, as a network failure or an nsqd restart would. */
    public void dropConnections() {
        List.copyOf(clients).forEach(TestDoubleClient::close);
    }

    /** Publishes then answer {@code E_PUB_FAILED} (and the connection closes) while on. */
    public void failPublishes(boolean fail) {
        failPublishes = fail;
    }

    /** Connected clients. */
    public int clientCount() {
        return clients.size();
    }

    /** The largest RDY any client sent. */
    public int maxRdySeen() {
        return maxRdySeen.get();
    }

    /** The most messages a channel ever had in flight at once. */
    public int peakInFlight(String topic, String channel) {
        synchronized (topics) {
            return topics.channel(topic, channel).peakInFlight;
        }
    }

    @Override
    public String tcpAddress() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public URI httpAddress() {
        InetSocketAddress a = http.address();
        return URI.create("http://127.0.0.1:" + a.getPort());
    }

    @Override
    public String kind() {
        return "test double";
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        http.stop();
        dropConnections();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "NsqTestDouble " + tcpAddress();
    }
}

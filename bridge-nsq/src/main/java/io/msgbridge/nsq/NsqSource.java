package io.msgbridge.nsq;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Source;
import io.msgbridge.spi.SourceContext;
import io.msgbridge.spi.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads one topic's channel from every nsqd that has it ({@code SUB topic channel}).
 *
 * <p>Flow control: the pipeline's in-flight window ({@link SourceContext#maxInFlight()}) is spread over
 * the connections as their {@code RDY} counts ({@link RdyPlan}); nsqd keeps at most that many messages
 * unfinished per connection, so what waits in this source's bounded queue plus what the pipeline holds
 * never exceeds the window. In bytes, each connection narrows its RDY so that its unfinished messages,
 * at the size of the largest recent one, fit in its share of {@link SourceContext#readAhead()}: down to
 * RDY 1 for messages of half that share or more. NSQ has no byte-based flow control, so a run of
 * messages much larger than those before can overshoot by what the previous RDY let through. A record's {@link SourceRecord.Ack#done()} sends {@code FIN} and nsqd sends
 * the next message. A maintenance thread {@code TOUCH}es messages held for half their {@code msg_timeout}
 * (a record waiting behind its key, or in a sink retry), reconnects lost nsqd with backoff and polls
 * nsqlookupd. {@link #close()} sends {@code CLS}, hands back with {@code REQ} what the pipeline never
 * took, waits briefly for outstanding {@code FIN}s and disconnects.
 *
 * <p>Positions: partition {@code topic/channel}, offset the NSQ message id, no sequence: NSQ cannot
 * seek, so delivery after a crash rests on nsqd redelivering what was never finished.
 */
public final class NsqSource implements Source {
    /** The header carrying nsqd's delivery count (1 on the first delivery). */
    public static final String ATTEMPTS_HEADER = "NSQ-Attempts";
    /** The header carrying the NSQ message id. */
    public static final String MESSAGE_ID_HEADER = "NSQ-Message-Id";

    private static final Logger LOG = LoggerFactory.getLogger(NsqSource.class);
    private static final Duration POLL_SLICE = Duration.ofMillis(100);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);
    private static final Duration FIN_DRAIN = Duration.ofSeconds(2);
    private static final Duration MAX_HAND_BACK_DELAY = Duration.ofMinutes(1);

    private final NsqConnectionOptions connectionOptions;
    private final NsqSourceOptions options;
    private final Discovery discovery;
    private final Map<NsqAddress, ConsumerConnection> connections = new ConcurrentHashMap<>();
    private final ReconnectSchedule reconnects;
    private volatile BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>(1);
    private volatile Set<NsqAddress> wanted = Set.of();
    private volatile boolean started;
    private volatile boolean closed;
    private volatile String lastError = "";
    private volatile boolean lookupAnswered;
    private ScheduledExecutorService maintenance;
    private String pipeline = "?";
    private int window = 1;
    private long readAhead = SourceContext.DEFAULT_READ_AHEAD;
    private long nextLookupNanos;

    public NsqSource(NsqConnectionOptions connectionOptions, NsqSourceOptions options) {
        this.connectionOptions = connectionOptions;
        this.options = options;
        this.discovery = Discovery.of(connectionOptions, options.topic());
        this.reconnects = new ReconnectSchedule(connectionOptions.reconnectWait());
    }

    @Override
    public void start(SourceContext context) throws InterruptedException {
        pipeline = context.pipeline();
        window = Math.max(1, context.maxInFlight());
        readAhead = context.readAhead();
        queue = new LinkedBlockingQueue<>(window + 64);
        Position last = context.stored().get(options.partition());
        if (last != null) {
            LOG.info("[{}] NSQ cannot seek: the stored position {} is for operators; nsqd delivers again what was never finished",
                    pipeline, last);
        }
        wanted = lookup();
        for (NsqAddress address : wanted) {
            tryConnect(address);
        }
        if (connections.isEmpty() && !discovery.dynamic()) {
            throw new RetriableException("cannot connect to any nsqd of " + wanted + ": " + lastError);
        }
        started = true;
        maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("nsq-source-" + pipeline).daemon().factory());
        long tick = Math.clamp(connectionOptions.msgTimeout().toMillis() / 10, 50, 1000);
        maintenance.scheduleWithFixedDelay(this::maintain, tick, tick, TimeUnit.MILLISECONDS);
        nextLookupNanos = System.nanoTime() + connectionOptions.lookupdPoll().toNanos();
        LOG.info("[{}] subscribed to {} on {} (RDY window {} records, {} bytes)", pipeline, options.partition(), connections.keySet(),
                window, readAhead);
    }

    private Set<NsqAddress> lookup() throws InterruptedException {
        try {
            Set<NsqAddress> found = discovery.addresses();
            lookupAnswered = true;
            return found;
        } catch (IOException e) {
            lookupAnswered = false;
            lastError = e.getMessage();
            if (wanted.isEmpty() && !started) {
                throw new RetriableException("cannot look up topic " + options.topic() + ": " + e.getMessage(), e);
            }
            LOG.warn("[{}] looking up topic {} failed, keeping {}: {}", pipeline, options.topic(), wanted, e.getMessage());
            return wanted;
        }
    }

    private void tryConnect(NsqAddress address) {
        try {
            NsqConnection connection = NsqConnection.open(address, connectionOptions);
            connection.subscribe(options.topic(), options.channel());
            ConsumerConnection consumer = new ConsumerConnection(pipeline, connection, this::enqueue, this::lost);
            connections.put(address, consumer);
            connection.start(consumer, "nsq-" + pipeline + "-" + address);
            reconnects.succeeded(address);
            rebalance();
            if (started) {
                LOG.info("[{}] connected to nsqd {}", pipeline, address);
            }
        } catch (PermanentException e) {
            if (!started) {
                connections.values().forEach(ConsumerConnection::close);
                throw e;
            }
            lastError = e.getMessage();
            reconnects.failed(address, System.nanoTime());
            LOG.error("[{}] {}", pipeline, e.getMessage());
        } catch (RetriableException e) {
            lastError = e.getMessage();
            reconnects.failed(address, System.nanoTime());
            if (started) {
                LOG.debug("[{}] {}", pipeline, e.getMessage());
            }
        }
    }

    /** Reader thread: into the bounded queue, or handed back to nsqd when it is full. */
    private void enqueue(Delivery delivery) {
        if (closed || !queue.offer(delivery)) {
            Duration delay = closed ? Duration.ZERO
                    : Duration.ofSeconds(Math.min(MAX_HAND_BACK_DELAY.toSeconds(), delivery.message.attempts()));
            delivery.connection.requeue(delivery, delay);
        }
    }

    private void lost(ConsumerConnection connection) {
        connections.remove(connection.address(), connection);
        if (!closed) {
            reconnects.failed(connection.address(), System.nanoTime());
            rebalance();
        }
    }

    private synchronized void rebalance() {
        int n = connections.size();
        for (ConsumerConnection c : connections.values()) {
            c.share(RdyPlan.perConnection(window, n, c.maxRdyCount()), Math.max(1, readAhead / Math.max(1, n)));
        }
    }

    /** Scheduled: every failure is logged and the next tick runs again. */
    private void maintain() {
        try {
            long now = System.nanoTime();
            if (discovery.dynamic() && now >= nextLookupNanos) {
                nextLookupNanos = now + connectionOptions.lookupdPoll().toNanos();
                refreshProducers();
            }
            for (NsqAddress address : wanted) {
                if (!closed && !connections.containsKey(address) && reconnects.due(address, now)) {
                    tryConnect(address);
                }
            }
            for (ConsumerConnection c : connections.values()) {
                c.touchDue(System.nanoTime(), c.msgTimeout().dividedBy(2));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("[{}] NSQ source maintenance failed, trying again: {}", pipeline, e.toString());
        }
    }

    private void refreshProducers() throws InterruptedException {
        Set<NsqAddress> found = lookup();
        Set<NsqAddress> gone = new HashSet<>(connections.keySet());
        gone.removeAll(found);
        wanted = Set.copyOf(found);
        for (NsqAddress address : gone) {
            ConsumerConnection c = connections.remove(address);
            if (c != null) {
                LOG.info("[{}] nsqd {} no longer has topic {}; disconnecting", pipeline, address, options.topic());
                c.close();
            }
        }
    }

    @Override
    public List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SourceRecord> records = new ArrayList<>(Math.min(max, 256));
        while (!closed && records.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                failIfDisconnected();
                return records;
            }
            Delivery first = queue.poll(Math.min(remaining, POLL_SLICE.toNanos()), TimeUnit.NANOSECONDS);
            if (first == null) {
                continue;
            }
            List<Delivery> batch = new ArrayList<>();
            batch.add(first);
            queue.drainTo(batch, max - 1);
            for (Delivery d : batch) {
                if (!d.settled() && d.connection.isOpen()) {
                    records.add(record(d));
                }
            }
        }
        return records;
    }

    private void failIfDisconnected() {
        if (started && connections.isEmpty() && !(discovery.dynamic() && lookupAnswered)) {
            throw new RetriableException("not connected to any nsqd (" + connectionOptions.describeServers() + "): " + lastError);
        }
    }

    private SourceRecord record(Delivery d) {
        NsqMessage m = d.message;
        Headers headers = Headers.of(ATTEMPTS_HEADER, Integer.toString(m.attempts()), MESSAGE_ID_HEADER, m.id());
        Message message = new Message(options.topic(), null, m.body(), headers, m.timestamp());
        Position position = new Position(options.partition(), m.id(), Position.NO_SEQUENCE);
        return new SourceRecord(message, position, Math.max(1, m.attempts()), () -> d.connection.finish(d));
    }

    @Override
    public boolean connected() {
        return started && !closed && (!connections.isEmpty() || discovery.dynamic() && lookupAnswered);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            maintenance.shutdownNow();
        }
        try {
            for (ConsumerConnection c : connections.values()) {
                c.startClose(CLOSE_WAIT);
            }
            List<Delivery> unclaimed = new ArrayList<>();
            queue.drainTo(unclaimed);
            unclaimed.forEach(d -> d.connection.requeue(d, Duration.ZERO));
            long deadline = System.nanoTime() + FIN_DRAIN.toNanos();
            while (System.nanoTime() < deadline && connections.values().stream().anyMatch(c -> c.isOpen() && c.inFlight() > 0)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connections.values().forEach(ConsumerConnection::close);
            connections.clear();
        }
        if (started) {
            LOG.info("[{}] closed NSQ source {}", pipeline, options.partition());
        }
    }
}

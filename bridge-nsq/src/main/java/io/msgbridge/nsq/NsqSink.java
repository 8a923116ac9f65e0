package io.msgbridge.nsq;

import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContext;
import io.msgbridge.spi.SinkOrdering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Publishes to nsqd over one connection, pipelined: lane threads queue records (a bounded queue; a
 * full one makes {@link #publish} wait briefly), one writer thread writes them as {@code PUB},
 * {@code MPUB} (consecutive records of one topic, up to {@code batch} records and below nsqd's
 * max-body-size) or {@code DPUB} (with {@code defer}), and each reply completes its command's records
 * in order. A lost connection fails what was unconfirmed as retriable; the writer reconnects (to the
 * next nsqd of the list, or one nsqlookupd names) with backoff.
 *
 * <p>Order: records go out on the one connection in the order they were published, and nsqd stores a
 * connection's commands in order, so the runtime may have many records of a key in flight
 * ({@link #ordering()}). After a lost connection, a record published after one that was lost may already
 * be queued for the next connection and be stored first; the runtime then publishes both again, in
 * order, so the last copies are in order. NSQ itself does not deliver in publish order (requeues,
 * several nsqd), so a consumer of NSQ cannot rely on more.
 */
public final class NsqSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(NsqSink.class);
    private static final int QUEUE = 10_000;
    private static final Duration OFFER_WAIT = Duration.ofSeconds(5);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);
    /** Records of one key in flight at once: enough to fill MPUB batches. */
    private static final int WINDOW = 1000;

    private final NsqConnectionOptions connectionOptions;
    private final NsqSinkOptions options;
    private final Discovery discovery;
    private final BlockingQueue<PendingPublish> queued = new LinkedBlockingQueue<>(QUEUE);
    private final Set<String> sendAlone = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > QUEUE;
        }
    }));
    private final ReconnectSchedule reconnects;
    private volatile ProducerConnection connection;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile String lastError = "";
    private Thread writer;
    private String pipeline = "?";
    private int next;

    public NsqSink(NsqConnectionOptions connectionOptions, NsqSinkOptions options) {
        this.connectionOptions = connectionOptions;
        this.options = options;
        this.discovery = Discovery.of(connectionOptions, null);
        this.reconnects = new ReconnectSchedule(connectionOptions.reconnectWait());
    }

    @Override
    public void start(SinkContext context) throws InterruptedException {
        pipeline = context.pipeline();
        if (connect() == null) {
            throw new RetriableException("cannot connect to any nsqd (" + connectionOptions.describeServers() + "): " + lastError);
        }
        started = true;
        writer = Thread.ofPlatform().name("nsq-sink-" + pipeline).daemon().start(this::writeLoop);
        LOG.info("[{}] publishing to {} on nsqd {}", pipeline, options.describe(), connection.address());
    }

    /** Connects to the next nsqd that answers; null when none did. Throws when nsqd refuses the configuration. */
    private ProducerConnection connect() throws InterruptedException {
        List<NsqAddress> addresses;
        try {
            addresses = new ArrayList<>(discovery.addresses());
        } catch (IOException e) {
            lastError = e.getMessage();
            return null;
        }
        if (addresses.isEmpty()) {
            lastError = "nsqlookupd knows no nsqd";
        }
        for (int i = 0; i < addresses.size(); i++) {
            NsqAddress address = addresses.get(Math.floorMod(next++, addresses.size()));
            try {
                NsqConnection c = NsqConnection.open(address, connectionOptions);
                ProducerConnection producer = new ProducerConnection(pipeline, c, sendAlone::add);
                c.start(producer, "nsq-" + pipeline + "-publish-" + address);
                connection = producer;
                return producer;
            } catch (RetriableException e) {
                lastError = e.getMessage();
            }
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> publish(OutboundRecord record) {
        if (closed || !started) {
            return CompletableFuture.failedFuture(new RetriableException("NSQ sink " + options.describe() + " is " + (closed ? "closed" : "not started")));
        }
        String topic = options.topic().render(record.message().topic());
        byte[] body = record.message().payload();
        if (!NsqNames.valid(topic)) {
            return CompletableFuture.failedFuture(new PermanentException("invalid NSQ topic \"" + topic + "\": " + NsqNames.RULE));
        }
        if (body.length == 0) {
            return CompletableFuture.failedFuture(new PermanentException("NSQ cannot carry an empty message body (nsqd answers E_BAD_MESSAGE)"));
        }
        if (body.length > options.maxMessageSize()) {
            return CompletableFuture.failedFuture(new PermanentException("message of " + body.length
                    + " bytes is larger than max-message-size " + options.maxMessageSize() + " for topic " + topic));
        }
        PendingPublish pending = new PendingPublish(topic, body, record.id(), new CompletableFuture<>());
        try {
            if (!queued.offer(pending, OFFER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(new RetriableException("NSQ publish queue full (" + QUEUE + " records) for " + options.describe()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new RetriableException("interrupted while queueing a publish", e));
        }
        return pending.result();
    }

    private void writeLoop() {
        try {
            while (!closed || !queued.isEmpty()) {
                PendingPublish first = queued.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                ProducerConnection c = liveConnection();
                PublishBatch batch = collect(first);
                if (c == null) {
                    batch.fail(new RetriableException("not connected to nsqd (" + connectionOptions.describeServers() + "): " + lastError));
                } else {
                    c.write(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("[{}] NSQ sink writer stopped: {}", pipeline, e.toString(), e);
        } finally {
            failQueued("NSQ sink " + options.describe() + " closed before the record was written");
        }
    }

    private ProducerConnection liveConnection() throws InterruptedException {
        ProducerConnection c = connection;
        if (c != null && c.isOpen()) {
            return c;
        }
        NsqAddress key = new NsqAddress("reconnect", 1);
        if (closed || !reconnects.due(key, System.nanoTime())) {
            return null;
        }
        try {
            c = connect();
        } catch (PermanentException e) {
            lastError = e.getMessage();
            c = null;
        }
        if (c == null) {
            reconnects.failed(key, System.nanoTime());
        } else {
            reconnects.succeeded(key);
            LOG.info("[{}] reconnected to nsqd {}", pipeline, c.address());
        }
        return c;
    }

    /** {@code first} and the records queued after it that can share its command. */
    private PublishBatch collect(PendingPublish first) {
        List<PendingPublish> records = new ArrayList<>();
        records.add(first);
        if (options.defer().isZero() && !sendAlone.remove(first.id())) {
            long payload = first.body().length;
            PendingPublish next;
            while (records.size() < options.batch() && (next = queued.peek()) != null
                    && next.topic().equals(first.topic()) && !sendAlone.contains(next.id())
                    && Commands.mpubBodySize(records.size() + 1, payload + next.body().length) <= NsqSinkOptions.MAX_BODY_SIZE) {
                records.add(queued.poll());
                payload += next.body().length;
            }
        }
        return new PublishBatch(first.topic(), options.defer(), records);
    }

    private void failQueued(String reason) {
        PendingPublish p;
        while ((p = queued.poll()) != null) {
            p.result().completeExceptionally(new RetriableException(reason));
        }
    }

    @Override
    public SinkOrdering ordering() {
        return SinkOrdering.pipelined(WINDOW);
    }

    @Override
    public boolean connected() {
        ProducerConnection c = connection;
        return started && !closed && c != null && c.isOpen();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (writer != null) {
                writer.join(CLOSE_FLUSH.toMillis());
            }
            long deadline = System.nanoTime() + CLOSE_FLUSH.toNanos();
            ProducerConnection c = connection;
            while (c != null && c.isOpen() && c.awaiting() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ProducerConnection c = connection;
            if (c != null) {
                c.close();
            }
            failQueued("NSQ sink " + options.describe() + " closed");
        }
    }
}

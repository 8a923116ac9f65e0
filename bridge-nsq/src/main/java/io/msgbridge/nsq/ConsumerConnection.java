package io.msgbridge.nsq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One subscribed nsqd connection of a source: its RDY count, the messages it holds in flight, and
 * FIN/REQ/TOUCH for them. Messages go from the reader thread to the source's bounded queue through
 * {@code deliveries}; the reader thread never waits for the pipeline.
 */
final class ConsumerConnection implements NsqConnection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerConnection.class);

    private final String pipeline;
    private final NsqConnection connection;
    private final Consumer<Delivery> deliveries;
    private final Consumer<ConsumerConnection> onClosed;
    private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
    private final CountDownLatch closeWait = new CountDownLatch(1);
    private volatile int rdy;
    /** This connection's share of the pipeline's window: records, and read-ahead bytes. Guarded by {@code this}. */
    private int recordShare = 1;
    private long byteShare = 1;
    /** The size of the largest recent message ({@link RdyPlan#nextEstimate}). Guarded by {@code this}. */
    private long sizeEstimate = RdyPlan.UNKNOWN_SIZE;

    ConsumerConnection(String pipeline, NsqConnection connection, Consumer<Delivery> deliveries, Consumer<ConsumerConnection> onClosed) {
        this.pipeline = pipeline;
        this.connection = connection;
        this.deliveries = deliveries;
        this.onClosed = onClosed;
    }

    NsqAddress address() {
        return connection.address();
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    int maxRdyCount() {
        return connection.negotiated().maxRdyCount();
    }

    Duration msgTimeout() {
        return connection.negotiated().msgTimeout();
    }

    /** This connection's share of the window: at most {@code records} messages, about {@code bytes} bytes. */
    synchronized void share(int records, long bytes) {
        recordShare = records;
        byteShare = bytes;
        ready(RdyPlan.byBytes(records, bytes, sizeEstimate));
    }

    /**
     * After a message: narrows RDY at once when it was larger than those before; widens it as smaller
     * ones arrive, by a quarter at a time (or to the records share), not with a command per message.
     */
    private synchronized void sized(int size) {
        sizeEstimate = RdyPlan.nextEstimate(sizeEstimate, size);
        int wanted = RdyPlan.byBytes(recordShare, byteShare, sizeEstimate);
        if (wanted < rdy || wanted == recordShare || wanted >= rdy + Math.max(1, rdy / 4)) {
            ready(wanted);
        }
    }

    /** Sends {@code RDY n} when it differs from the last one sent. */
    private void ready(int count) {
        if (count != rdy && connection.send(Commands.rdy(count))) {
            rdy = count;
        }
    }

    /** The RDY count last sent. */
    int rdy() {
        return rdy;
    }

    int inFlight() {
        return inFlight.size();
    }

    @Override
    public void onMessage(NsqConnection c, NsqMessage message) {
        Delivery delivery = new Delivery(this, message, System.nanoTime());
        inFlight.put(message.id(), delivery);
        sized(message.body().length);
        deliveries.accept(delivery);
    }

    @Override
    public void onResponse(NsqConnection c, String response) {
        if ("CLOSE_WAIT".equals(response)) {
            closeWait.countDown();
        }
    }

    @Override
    public void onError(NsqConnection c, NsqError error) {
        if (error.fatal()) {
            LOG.warn("[{}] nsqd {} sent {}; it closes the connection", pipeline, address(), error);
        } else {
            LOG.debug("[{}] nsqd {}: {} (the message timed out and went back to the queue)", pipeline, address(), error);
        }
    }

    @Override
    public void onClosed(NsqConnection c, Exception cause) {
        closeWait.countDown();
        inFlight.clear();
        if (cause != null) {
            LOG.warn("[{}] connection to nsqd {} lost: {}", pipeline, address(), cause.toString());
        }
        onClosed.accept(this);
    }

    /** {@code FIN}: the record is done. A FIN on a lost connection is moot: nsqd delivers the message again. */
    void finish(Delivery delivery) {
        if (delivery.settle()) {
            inFlight.remove(delivery.message.id(), delivery);
            connection.sendSoon(Commands.fin(delivery.message.id()));
        }
    }

    /** {@code REQ}: hands a message back to nsqd, to be delivered again after {@code delay}. */
    void requeue(Delivery delivery, Duration delay) {
        if (delivery.settle()) {
            inFlight.remove(delivery.message.id(), delivery);
            connection.send(Commands.req(delivery.message.id(), delay));
        }
    }

    /** {@code TOUCH} for every message held longer than {@code after} since delivery or its last touch. */
    int touchDue(long nowNanos, Duration after) {
        List<byte[]> touches = new ArrayList<>();
        for (Delivery d : inFlight.values()) {
            if (!d.settled() && nowNanos - d.lastTouchNanos() >= after.toNanos()) {
                d.touched(nowNanos);
                touches.add(Commands.touch(d.message.id()));
            }
        }
        if (!touches.isEmpty()) {
            connection.send(touches.toArray(byte[][]::new));
        }
        return touches.size();
    }

    /** {@code CLS} and waits (bounded) for {@code CLOSE_WAIT}: nsqd then sends no more messages. */
    void startClose(Duration wait) throws InterruptedException {
        if (connection.send(Commands.CLS)) {
            closeWait.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void close() {
        connection.close();
    }
}

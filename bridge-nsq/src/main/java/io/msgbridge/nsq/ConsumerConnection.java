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

    /** Sends {@code RDY n} when it differs from the last one sent. */
    void ready(int count) {
        if (count != rdy && connection.send(Commands.rdy(count))) {
            rdy = count;
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    @Override
    public void onMessage(NsqConnection c, NsqMessage message) {
        Delivery delivery = new Delivery(this, message, System.nanoTime());
        inFlight.put(message.id(), delivery);
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

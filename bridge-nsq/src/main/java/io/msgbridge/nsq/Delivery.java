package io.msgbridge.nsq;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message nsqd delivered to this client and that nsqd counts in flight until it is finished,
 * requeued or times out. Settled at most once.
 */
final class Delivery {
    final ConsumerConnection connection;
    final NsqMessage message;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile long lastTouchNanos;

    Delivery(ConsumerConnection connection, NsqMessage message, long receivedNanos) {
        this.connection = connection;
        this.message = message;
        this.lastTouchNanos = receivedNanos;
    }

    /** True once: the caller may FIN or REQ it. */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    boolean settled() {
        return settled.get();
    }

    long lastTouchNanos() {
        return lastTouchNanos;
    }

    void touched(long nanos) {
        lastTouchNanos = nanos;
    }
}

package io.msgbridge.nats;

import io.msgbridge.spi.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The bounded hand-off from a jnats dispatcher thread to the pump thread for core NATS, where the
 * broker cannot be slowed down. {@link #offer} never blocks: when the buffer is full the arriving
 * record is dropped (tail drop: what is buffered stays, oldest first, so the pump sees a gap rather
 * than reordering), counted, and logged as a slow consumer with the pipeline and subject, the first
 * drop at once and then at most one summary per {@link #LOG_INTERVAL}. Blocking instead would only
 * move the loss into jnats' own pending buffer, where it is reported less clearly.
 */
final class DroppingHandoff {
    private static final Logger LOG = LoggerFactory.getLogger(DroppingHandoff.class);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(5);

    private final ArrayBlockingQueue<SourceRecord> queue;
    private final String pipeline;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong();
    private final AtomicLong droppedAtLastLog = new AtomicLong();

    DroppingHandoff(int capacity, String pipeline) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.pipeline = pipeline;
    }

    /**
     * Called on the one thread that offers (the dispatcher's); never blocks. The record is made only when
     * there is room for it, so a consumer that is behind spends nothing on the messages it drops: with
     * one thread offering, room seen here is still there at the offer, as the pump only takes. Returns
     * false when the record was dropped.
     */
    boolean offer(String subject, Supplier<SourceRecord> record) {
        if (queue.remainingCapacity() > 0 && queue.offer(record.get())) {
            return true;
        }
        long total = dropped.incrementAndGet();
        logDrop(subject, total);
        return false;
    }

    private void logDrop(String subject, long total) {
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        boolean first = total == 1;
        if ((first || now - last >= LOG_INTERVAL.toNanos()) && lastLogNanos.compareAndSet(last, now)) {
            long since = total - droppedAtLastLog.getAndSet(total);
            LOG.warn("{}: nats slow consumer: buffer of {} records is full, dropped {} core NATS message(s) (latest on subject {}), "
                    + "{} dropped since start; core NATS cannot apply backpressure: raise the source's buffer, add lanes, "
                    + "or use a JetStream source", pipeline, queue.remainingCapacity() + queue.size(), since, subject, total);
        }
    }

    /**
     * Waits up to {@code timeout} for a first record, then takes what is there, up to {@code max}.
     * Returns early, possibly empty, when {@code stop} turns true (checked every 50 ms).
     */
    List<SourceRecord> take(int max, Duration timeout, java.util.function.BooleanSupplier stop) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SourceRecord first = null;
        while (first == null && !stop.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            first = queue.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
        }
        if (first == null) {
            return List.of();
        }
        List<SourceRecord> out = new ArrayList<>(Math.min(max, queue.size() + 1));
        out.add(first);
        queue.drainTo(out, max - 1);
        return out;
    }

    /** Messages dropped since start because the buffer was full. */
    long dropped() {
        return dropped.get();
    }

    /** Records buffered now. */
    int depth() {
        return queue.size();
    }
}

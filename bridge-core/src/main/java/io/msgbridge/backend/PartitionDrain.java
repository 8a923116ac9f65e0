package io.msgbridge.backend;

import io.msgbridge.spi.SourceRecord;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For sources whose partitions move between daemons (Kafka's and RocketMQ's {@code mode: group}): what of
 * each owned partition was handed to the pipeline and is not done yet, so that a partition being given up
 * can wait for its records in flight and commit the position after them before the next owner starts
 * there (drain and commit on hand-over).
 *
 * <p>{@link SourceRecord.Ack} says when a record is done (delivered or dead-lettered); per partition this
 * keeps the handed-out offsets in order and the last offset of the contiguous done prefix, as the
 * runtime's tracker does for the offset store. Records are handed out by the pump thread, acknowledged
 * from lane threads and drained on the source's own thread. Thread-safe.
 *
 * @param <P> a partition, comparing by value
 */
public final class PartitionDrain<P> {
    /** One partition: its handed-out records not yet done, oldest first, and the last offset done in order. */
    private static final class State {
        private final ArrayDeque<long[]> outstanding = new ArrayDeque<>();
        private long lastDone = -1;
    }

    private final Map<P, State> partitions = new ConcurrentHashMap<>();

    /** Starts tracking a partition this source now owns. */
    public void own(P partition) {
        partitions.putIfAbsent(partition, new State());
    }

    /**
     * The record at {@code offset} was handed to the pipeline; returns the acknowledgement that marks it
     * done, or null when the partition is not owned.
     */
    public SourceRecord.Ack handedOut(P partition, long offset) {
        State state = partitions.get(partition);
        if (state == null) {
            return null;
        }
        long[] entry = {offset, 0};
        synchronized (this) {
            state.outstanding.addLast(entry);
        }
        return () -> done(state, entry);
    }

    private synchronized void done(State state, long[] entry) {
        entry[1] = 1;
        while (!state.outstanding.isEmpty() && state.outstanding.peekFirst()[1] == 1) {
            state.lastDone = state.outstanding.pollFirst()[0];
        }
        if (state.outstanding.isEmpty()) {
            notifyAll();
        }
    }

    /**
     * Waits until every record handed out of {@code given} is done, or {@code timeout} passed, and stops
     * tracking them. Returns, per partition, the last offset done in order (-1 when none), and how many
     * records were still in flight (0 when drained).
     */
    public synchronized Map<P, Drained> release(Collection<P> given, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight(given) > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        Map<P, Drained> result = new HashMap<>();
        for (P partition : given) {
            State state = partitions.remove(partition);
            if (state != null) {
                result.put(partition, new Drained(state.lastDone, state.outstanding.size()));
            }
        }
        return result;
    }

    /** Stops tracking partitions lost without a chance to commit. */
    public synchronized void forget(Collection<P> lost) {
        lost.forEach(partitions::remove);
    }

    private int inFlight(Collection<P> given) {
        int count = 0;
        for (P partition : given) {
            State state = partitions.get(partition);
            if (state != null) {
                count += state.outstanding.size();
            }
        }
        return count;
    }

    /**
     * A partition let go.
     *
     * @param lastDone the last offset done in order, -1 when none was
     * @param inFlight records still in flight when the drain timed out (0 when every one was done)
     */
    public record Drained(long lastDone, int inFlight) {
    }
}

package io.msgbridge.bench;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How a baseline source knows what it may commit: per partition (a Kafka partition, a RocketMQ message
 * queue), the records read in offset order and which of them the sink confirmed; what may be committed is
 * the offset after the contiguous confirmed prefix (a record confirmed before an earlier one of its
 * partition waits for it). Thread-safe: records are read on the loop's thread and confirmed on the
 * sink client's.
 *
 * @param <P> a partition, compared by value
 */
final class DonePrefixes<P> {
    private final Map<P, Deque<Read>> unconfirmed = new HashMap<>();
    private final Map<P, Long> toCommit = new HashMap<>();

    /** Registers a record just read; the returned action marks it confirmed. */
    synchronized Runnable read(P partition, long offset) {
        Read read = new Read(offset);
        unconfirmed.computeIfAbsent(partition, p -> new ArrayDeque<>()).addLast(read);
        return () -> confirmed(partition, read);
    }

    private synchronized void confirmed(P partition, Read read) {
        read.done = true;
        Deque<Read> reads = unconfirmed.get(partition);
        long upTo = -1;
        while (!reads.isEmpty() && reads.peekFirst().done) {
            upTo = reads.pollFirst().offset;
        }
        if (upTo >= 0) {
            toCommit.put(partition, upTo + 1);
        }
    }

    /** Per partition whose prefix grew since the last call, the offset after it (the next to read); forgets them. */
    synchronized Map<P, Long> take() {
        if (toCommit.isEmpty()) {
            return Map.of();
        }
        Map<P, Long> offsets = new HashMap<>(toCommit);
        toCommit.clear();
        return offsets;
    }

    private static final class Read {
        final long offset;
        boolean done;

        Read(long offset) {
            this.offset = offset;
        }
    }
}

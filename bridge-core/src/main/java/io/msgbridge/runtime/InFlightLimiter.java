package io.msgbridge.runtime;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the records and bytes a pipeline holds between the source and done, and takes the bytes from
 * the daemon's {@link MemoryBudget}, shared with the other pipelines. The pump asks how many records
 * fit before it polls, so the bound reaches the broker. A record always fits when the pipeline holds
 * none, whatever its size and however full the budget, so a large record cannot wedge the pipeline.
 *
 * <p>A full pipeline is refilled in batches: {@link #awaitRoom} waits until a refill of records (a
 * 32nd of the bound, at most 256) is done, not one, and a release wakes a waiter only when what it
 * waits for has come true. Waking the pump for every record done made it poll and hand off one record
 * at a time whenever the sink was the bottleneck, and each of those hand-offs woke a lane.
 */
final class InFlightLimiter {
    /** The largest refill, in records: about one pull batch of a broker client. */
    private static final int MAX_REFILL = 256;

    /** How long a wait for room looks again at the budget, which other pipelines free without a signal here. */
    private static final long BUDGET_RECHECK_NANOS = 20_000_000;

    private final int maxRecords;
    private final long maxBytes;
    private final MemoryBudget budget;
    /** How many records must be done before a full pipeline polls again (up to a timeout). */
    private final int refill;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int records;
    private long bytes;
    private int waitingForBytes;

    InFlightLimiter(int maxRecords, long maxBytes, MemoryBudget budget) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.refill = Math.max(1, Math.min(MAX_REFILL, maxRecords / 32));
    }

    /**
     * Waits up to {@code timeout} for room for a refill and returns how many records may be polled now:
     * all the room there is, which after the timeout may be less than a refill (0 when there is none).
     */
    int awaitRoom(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!roomForRefill()) {
                if (nanos <= 0) {
                    return records < maxRecords && bytes < maxBytes ? maxRecords - records : 0;
                }
                nanos = released.awaitNanos(nanos);
            }
            return maxRecords - records;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes room for polled records, in order from {@code from}, as long as their bytes fit now; returns
     * how many it took. One lock for a poll's records rather than one per record: the lanes take the
     * same lock to free room, and the pump contending with them for each record cost wake-ups.
     */
    int tryAcquire(long[] recordBytes, int from) {
        lock.lock();
        try {
            int next = from;
            while (next < recordBytes.length && tryTake(recordBytes[next])) {
                next++;
            }
            return next - from;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes room for one record that has been polled already, waiting up to {@code timeout} while it
     * does not fit; false when it still does not (nothing taken).
     */
    boolean acquire(long recordBytes, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            waitingForBytes++;
            try {
                while (!tryTake(recordBytes)) {
                    if (nanos <= 0) {
                        return false;
                    }
                    long slice = Math.min(nanos, BUDGET_RECHECK_NANOS);
                    nanos -= slice - released.awaitNanos(slice);
                }
            } finally {
                waitingForBytes--;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Frees the room of {@code count} records of {@code recordBytes} bytes in all. */
    void release(int count, long recordBytes) {
        if (count == 0) {
            return;
        }
        lock.lock();
        try {
            records -= count;
            bytes -= recordBytes;
            budget.give(recordBytes);
            if (records == 0 || waitingForBytes > 0 || roomForRefill()) {
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int records() {
        lock.lock();
        try {
            return records;
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until nothing is in flight or the timeout passed; true when empty. */
    boolean awaitEmpty(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (records > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = released.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean roomForRefill() {
        return records <= maxRecords - refill && bytes < maxBytes;
    }

    /**
     * Takes room for one more record if it fits: within both of the pipeline's bounds, whatever the
     * source's poll returned (a source may hand out more than it was asked for), and within the budget;
     * a record alone always fits.
     */
    private boolean tryTake(long recordBytes) {
        if (records == 0) {
            budget.force(recordBytes);
        } else if (records >= maxRecords || bytes + recordBytes > maxBytes || !budget.tryTake(recordBytes)) {
            return false;
        }
        records++;
        bytes += recordBytes;
        return true;
    }
}

package io.msgbridge.runtime;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the records and bytes a pipeline holds between the source and done. The pump asks how many
 * records fit before it polls, so the bound reaches the broker (STYLE rule 12). One record larger than
 * the byte bound is let through alone, so it cannot wedge the pipeline.
 */
final class InFlightLimiter {
    private final int maxRecords;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private int records;
    private long bytes;

    InFlightLimiter(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /**
     * Waits up to {@code timeout} for room and returns how many records may be polled now (0 when
     * there was no room in time).
     */
    int awaitRoom(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (records >= maxRecords || bytes >= maxBytes) {
                if (nanos <= 0) {
                    return 0;
                }
                nanos = released.awaitNanos(nanos);
            }
            return maxRecords - records;
        } finally {
            lock.unlock();
        }
    }

    /** Takes room for one record that has been polled already; waits while its bytes do not fit. */
    void acquire(long recordBytes) throws InterruptedException {
        lock.lock();
        try {
            while (records > 0 && bytes + recordBytes > maxBytes) {
                released.await();
            }
            records++;
            bytes += recordBytes;
        } finally {
            lock.unlock();
        }
    }

    void release(long recordBytes) {
        lock.lock();
        try {
            records--;
            bytes -= recordBytes;
            released.signalAll();
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
}

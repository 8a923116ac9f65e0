package io.msgbridge.kafka;

import io.msgbridge.spi.SourceRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The records the consumer thread fetched and the pump has not taken yet, in fetch order. The consumer
 * thread pauses its partitions while this holds {@code capacity} records or {@code byteCapacity} bytes or
 * more, so it holds at most that plus one poll's records. Thread-safe.
 */
final class Handoff {
    /** A fetched record and the partition it came from. */
    record Fetched(TopicPartition partition, SourceRecord record) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition taken = lock.newCondition();
    private final ArrayDeque<Fetched> records = new ArrayDeque<>();
    private final int capacity;
    private final long byteCapacity;
    private long bytes;
    private final Consumer<Fetched> onTaken;
    private boolean closed;

    /**
     * @param onTaken told of each record as the pump takes it, under this hand-off's lock, so that a
     *                partition removed meanwhile never has a record both taken and dropped
     */
    Handoff(int capacity, long byteCapacity, Consumer<Fetched> onTaken) {
        this.capacity = capacity;
        this.byteCapacity = byteCapacity;
        this.onTaken = onTaken;
    }

    void add(List<Fetched> fetched) {
        if (fetched.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            records.addAll(fetched);
            for (Fetched f : fetched) {
                bytes += f.record().message().sizeInBytes();
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the consumer should stop fetching for now. */
    boolean full() {
        lock.lock();
        try {
            return isFull();
        } finally {
            lock.unlock();
        }
    }

    private boolean isFull() {
        return records.size() >= capacity || bytes >= byteCapacity;
    }

    /** Waits at most {@code timeout} until the pump took records and this is no longer full (or it was closed). */
    void awaitRoom(Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (isFull() && !closed && left > 0) {
                left = taken.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return records.size();
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code max} records, waiting at most {@code timeout} for the first; empty once closed. */
    List<SourceRecord> take(int max, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (records.isEmpty() && !closed) {
                if (left <= 0) {
                    return List.of();
                }
                left = arrived.awaitNanos(left);
            }
            if (closed) {
                return List.of();
            }
            List<SourceRecord> handed = new ArrayList<>(Math.min(max, records.size()));
            while (handed.size() < max && !records.isEmpty()) {
                Fetched next = records.pollFirst();
                bytes -= next.record().message().sizeInBytes();
                onTaken.accept(next);
                handed.add(next.record());
            }
            taken.signalAll();
            return handed;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the records of partitions given up: they were never handed out, the next owner reads them. */
    int remove(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            int removed = 0;
            for (Iterator<Fetched> it = records.iterator(); it.hasNext(); ) {
                Fetched next = it.next();
                if (partitions.contains(next.partition())) {
                    bytes -= next.record().message().sizeInBytes();
                    it.remove();
                    removed++;
                }
            }
            taken.signalAll();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting and every later {@link #take} return empty at once. */
    void close() {
        lock.lock();
        try {
            closed = true;
            records.clear();
            bytes = 0;
            arrived.signalAll();
            taken.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

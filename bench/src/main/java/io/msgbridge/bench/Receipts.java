package io.msgbridge.bench;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What the end consumer saw: each record's latency (publish at the producer to receipt here), the
 * first and last receipt times, and duplicates. Called from one consumer thread; read after the run
 * (or, for counts, while it runs) under the object's lock.
 */
final class Receipts {
    private final int[] latencyMicros;
    private final BitSet seen;
    private int unique;
    private long duplicates;
    private long firstNanos;
    private long lastNanos;

    Receipts(int expected) {
        this.latencyMicros = new int[expected];
        this.seen = new BitSet(expected);
    }

    /** Records one received payload. */
    synchronized void received(byte[] payload) {
        long now = System.nanoTime();
        long wall = Payloads.nowNanos();
        long sequence = Payloads.sequence(payload);
        if (sequence < 0 || sequence >= latencyMicros.length) {
            return;
        }
        if (seen.get((int) sequence)) {
            duplicates++;
            return;
        }
        seen.set((int) sequence);
        long micros = (wall - Payloads.publishedAtNanos(payload)) / 1000;
        latencyMicros[unique] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, micros));
        unique++;
        if (unique == 1) {
            firstNanos = now;
        }
        lastNanos = now;
    }

    synchronized int unique() {
        return unique;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long firstNanos() {
        return firstNanos;
    }

    synchronized long lastNanos() {
        return lastNanos;
    }

    /** Records per second between the first and the last receipt. */
    synchronized double ratePerSecond() {
        if (unique < 2 || lastNanos == firstNanos) {
            return 0;
        }
        return (unique - 1) * 1e9 / (lastNanos - firstNanos);
    }

    /** Latency percentiles in milliseconds: p50, p99, p99.9. */
    synchronized Latency latency() {
        if (unique == 0) {
            return null;
        }
        int[] sorted = Arrays.copyOf(latencyMicros, unique);
        Arrays.sort(sorted);
        return new Latency(at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999));
    }

    private static double at(int[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    /** End-to-end latency percentiles of one run, in milliseconds. */
    record Latency(double p50, double p99, double p999) {
    }
}

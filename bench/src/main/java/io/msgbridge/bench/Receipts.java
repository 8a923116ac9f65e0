package io.msgbridge.bench;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * What the end consumer saw: each record's latency (publish at the producer to receipt here), the
 * receipt times, duplicates, and how many distinct keys the records carried at the destination (the key
 * the variant wrote: the NATS key header, the Pulsar message key), so a run shows that the scenario's
 * key cardinality ({@link Keys}) reached the sink. The warm-up (class loading, JIT compilation, connection and consumer
 * set-up, for both variants alike) ends when {@code warmUp} records have arrived, or a record with a
 * sequence number of at least {@code warmUp} (for a source that drops records, such as core NATS, the
 * first count may never be reached): the rate counts the records received after that moment, and
 * latency only records with a sequence number of at least {@code warmUp} (those a producer sent after
 * the warm-up). Called from one consumer thread; read after the run (or, for counts, while it runs)
 * under the object's lock.
 */
final class Receipts {
    /** Distinct keys counted at most: more than any scenario uses, few enough to keep in memory. */
    private static final int KEYS_COUNTED = 10_000;

    private final int warmUp;
    private final Set<String> keys = new HashSet<>();
    private final int[] latencyMicros;
    private final long[] publishedNanos;
    private final BitSet seen;
    private int unique;
    private int measured;
    private long duplicates;
    private int warmReceived = -1;
    private long steadyNanos;
    private long lastNanos;

    Receipts(int expected, int warmUp) {
        this.warmUp = warmUp;
        this.latencyMicros = new int[expected];
        this.publishedNanos = new long[expected];
        this.seen = new BitSet(expected);
    }

    /** Records one received payload and its key at the destination (null: none). */
    synchronized void received(byte[] payload, String key) {
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
        if (key != null && keys.size() < KEYS_COUNTED) {
            keys.add(key);
        }
        if (sequence >= warmUp) {
            long published = Payloads.publishedAtNanos(payload);
            long micros = (wall - published) / 1000;
            publishedNanos[measured] = published;
            latencyMicros[measured++] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, micros));
        }
        unique++;
        if (warmReceived < 0 && (unique >= Math.max(1, warmUp) || sequence >= warmUp)) {
            warmReceived = unique;
            steadyNanos = now;
        }
        lastNanos = now;
    }

    synchronized int unique() {
        return unique;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** How many distinct keys the received records carried (at most {@value #KEYS_COUNTED}); 0 when none had a key. */
    synchronized int distinctKeys() {
        return keys.size();
    }

    /** Whether the warm-up is over: the measurement window opens. */
    synchronized boolean warm() {
        return warmReceived >= 0;
    }

    /** Seconds from the end of the warm-up to the last receipt. */
    synchronized double measuredSeconds() {
        return warm() ? (lastNanos - steadyNanos) / 1e9 : 0;
    }

    /** Records per second from the end of the warm-up to the last receipt. */
    synchronized double ratePerSecond() {
        double seconds = measuredSeconds();
        return seconds > 0 ? (unique - warmReceived) / seconds : 0;
    }

    /** Latency percentiles in milliseconds: p50, p99, p99.9. */
    synchronized Latency latency() {
        if (measured == 0) {
            return null;
        }
        int[] sorted = Arrays.copyOf(latencyMicros, measured);
        Arrays.sort(sorted);
        return new Latency(at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999));
    }

    /**
     * The measured records' latency by the second they were published in (tab-separated: second,
     * records, p50 ms, max ms, and the wall-clock start of the second in epoch milliseconds), so a tail
     * can be told apart as a few stalls or as a steady spread, and a stall's seconds matched with a
     * variant's log or a machine probe's.
     */
    synchronized String timeline() {
        if (measured == 0) {
            return "";
        }
        long first = Arrays.stream(publishedNanos, 0, measured).min().orElseThrow();
        int seconds = (int) ((Arrays.stream(publishedNanos, 0, measured).max().orElseThrow() - first) / 1_000_000_000L) + 1;
        int[][] bySecond = new int[seconds][];
        int[] counts = new int[seconds];
        for (int i = 0; i < measured; i++) {
            counts[(int) ((publishedNanos[i] - first) / 1_000_000_000L)]++;
        }
        for (int s = 0; s < seconds; s++) {
            bySecond[s] = new int[counts[s]];
            counts[s] = 0;
        }
        for (int i = 0; i < measured; i++) {
            int s = (int) ((publishedNanos[i] - first) / 1_000_000_000L);
            bySecond[s][counts[s]++] = latencyMicros[i];
        }
        StringBuilder out = new StringBuilder("second\trecords\tp50 ms\tmax ms\tepoch ms\n");
        for (int s = 0; s < seconds; s++) {
            int[] sorted = bySecond[s];
            Arrays.sort(sorted);
            out.append(s).append('\t').append(sorted.length);
            if (sorted.length > 0) {
                out.append('\t').append(at(sorted, 0.5)).append('\t').append(sorted[sorted.length - 1] / 1000.0);
            } else {
                out.append("\t\t");
            }
            out.append('\t').append(first / 1_000_000L + s * 1000L);
            out.append('\n');
        }
        return out.toString();
    }

    private static double at(int[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    /** End-to-end latency percentiles of one run, in milliseconds. */
    record Latency(double p50, double p99, double p999) {
    }
}

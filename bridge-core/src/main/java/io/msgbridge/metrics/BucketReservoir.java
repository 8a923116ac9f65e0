package io.msgbridge.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;

import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A reservoir that counts every value in log-linear buckets, sixteen per power of two (the HdrHistogram
 * layout): a quantile is exact to within 3% of its value, and an update is one atomic increment. For
 * the end-to-end latency, updated once per delivered record from every lane: Dropwizard's decaying
 * reservoir pays a sorted-map insert per update, which showed in the lanes' profile even fed one record
 * in eight (docs/benchmarks.md), and a sample of one in eight said little at a few records a second.
 *
 * <p>A snapshot holds the values recorded since an earlier snapshot that is at least {@link #WINDOW}
 * old (or since the start): with a scrape every 15 to 60 s, the last one to two minutes. The counts
 * only grow; a snapshot subtracts the counts remembered at that earlier snapshot, so updates never
 * read the clock. Updates are lock-free; snapshots are taken under the reservoir's lock.
 */
final class BucketReservoir implements Reservoir {
    /** The least time a snapshot covers. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    /** Values below this have a bucket each. */
    private static final int EXACT = 2 * SUB;
    private static final int BUCKETS = EXACT + (63 - (SUB_BITS + 1)) * SUB;
    /** How often a snapshot's counts are remembered, at most: a few copies cover the window. */
    private static final long REMEMBER_EVERY = WINDOW.toNanos() / 4;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final Clock clock;
    /** Counts remembered at earlier snapshots, oldest first. */
    private final ArrayDeque<Remembered> history = new ArrayDeque<>();

    BucketReservoir(Clock clock) {
        this.clock = clock;
    }

    BucketReservoir() {
        this(Clock.defaultClock());
    }

    private record Remembered(long tick, long[] counts) {
    }

    @Override
    public void update(long value) {
        counts.incrementAndGet(bucket(Math.max(0, value)));
    }

    /** The number of values recorded since the start. */
    @Override
    public int size() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    @Override
    public synchronized Snapshot getSnapshot() {
        long now = clock.getTick();
        long[] current = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            current[i] = counts.get(i);
        }
        Remembered base = null;
        while (!history.isEmpty() && now - history.peekFirst().tick >= WINDOW.toNanos()) {
            base = history.pollFirst();
        }
        long[] window = current.clone();
        if (base != null) {
            history.addFirst(base);
            for (int i = 0; i < BUCKETS; i++) {
                window[i] -= base.counts[i];
            }
        }
        Remembered newest = history.peekLast();
        if (newest == null || now - newest.tick >= REMEMBER_EVERY) {
            history.addLast(new Remembered(now, current));
        }
        return new BucketSnapshot(window);
    }

    static int bucket(long value) {
        if (value < EXACT) {
            return (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = (int) (value >>> (exponent - SUB_BITS)) - SUB;
        return EXACT + (exponent - SUB_BITS - 1) * SUB + sub;
    }

    /** The smallest value of a bucket. */
    static long lowest(int bucket) {
        if (bucket < EXACT) {
            return bucket;
        }
        return (long) (SUB + (bucket - EXACT) % SUB) << shift(bucket);
    }

    /** The value that stands for a bucket's values: its middle. */
    static long middle(int bucket) {
        return bucket < EXACT ? bucket : lowest(bucket) + (1L << shift(bucket) >>> 1);
    }

    /** log2 of the width of a bucket at or above {@link #EXACT}. */
    private static int shift(int bucket) {
        return (bucket - EXACT) / SUB + 1;
    }

    /** The counts of one window; a value stands for its bucket's middle. */
    private static final class BucketSnapshot extends Snapshot {
        /** At most this many values from {@link #getValues()}: the buckets' counts scaled down to fit. */
        private static final int MAX_VALUES = 4096;

        private final long[] counts;
        private final long total;

        BucketSnapshot(long[] counts) {
            this.counts = counts;
            this.total = Arrays.stream(counts).sum();
        }

        /** The nearest-rank quantile: the least value with at least {@code quantile} of the values at or below it. */
        @Override
        public double getValue(double quantile) {
            if (quantile < 0 || quantile > 1 || Double.isNaN(quantile)) {
                throw new IllegalArgumentException(quantile + " is not in [0..1]");
            }
            if (total == 0) {
                return 0;
            }
            long rank = Math.max(1, (long) Math.ceil(quantile * total));
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return middle(i);
                }
            }
            return getMax();
        }

        @Override
        public long[] getValues() {
            double scale = total <= MAX_VALUES ? 1 : (double) MAX_VALUES / total;
            long[] values = new long[(int) Math.min(total, MAX_VALUES + counts.length)];
            int n = 0;
            for (int i = 0; i < counts.length; i++) {
                long times = counts[i] == 0 ? 0 : Math.max(1, Math.round(counts[i] * scale));
                for (long t = 0; t < times && n < values.length; t++) {
                    values[n++] = middle(i);
                }
            }
            return Arrays.copyOf(values, n);
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        @Override
        public long getMax() {
            for (int i = counts.length - 1; i >= 0; i--) {
                if (counts[i] > 0) {
                    return middle(i);
                }
            }
            return 0;
        }

        @Override
        public double getMean() {
            if (total == 0) {
                return 0;
            }
            double sum = 0;
            for (int i = 0; i < counts.length; i++) {
                sum += (double) counts[i] * middle(i);
            }
            return sum / total;
        }

        @Override
        public long getMin() {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    return middle(i);
                }
            }
            return 0;
        }

        @Override
        public double getStdDev() {
            if (total < 2) {
                return 0;
            }
            double mean = getMean();
            double squares = 0;
            for (int i = 0; i < counts.length; i++) {
                double d = middle(i) - mean;
                squares += counts[i] * d * d;
            }
            return Math.sqrt(squares / (total - 1));
        }

        @Override
        public void dump(OutputStream output) {
            try (PrintWriter out = new PrintWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8))) {
                for (long value : getValues()) {
                    out.printf("%d%n", value);
                }
            }
        }
    }
}

package io.msgbridge.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.msgbridge.config.MemoryConfig;
import io.msgbridge.config.Sizes;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's memory budget: the bytes that records in flight may take on the heap, over all
 * pipelines together ({@code memory:}, by default half of the heap), as Kafka's producer has
 * {@code buffer.memory} and Pulsar's client {@code memoryLimit}. A record costs its payload and headers
 * plus {@link #RECORD_OVERHEAD}, a large one whole G1 regions ({@link #cost(long)}). A pipeline takes from the budget for each record it polls and gives
 * back when the record is done; a pipeline with nothing in flight always gets room for one record, so
 * a large message is never stuck behind other pipelines. Thread-safe.
 */
public final class MemoryBudget {
    /**
     * What a record in flight costs beside its payload and headers: the client's message object and its
     * metadata, the bridge's message, position, ids and in-flight state. An estimate from heap
     * histograms of a JetStream source, where a small record cost about three times its payload.
     */
    public static final long RECORD_OVERHEAD = 2048;
    /** An array's header on a 64-bit JVM. */
    private static final long ARRAY_HEADER = 16;
    /**
     * The most of the heap the budget may be without a warning: the rest holds the sources' read-ahead,
     * the daemon itself and the collector's room to work.
     */
    static final int HEAP_SHARE_LIMIT_PERCENT = 60;
    /** G1's region size in this JVM, or 0 under another collector. */
    private static final long G1_REGION = g1Region();

    private final long total;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive, not " + total);
        }
        this.total = total;
    }

    /**
     * What a record of {@code bytes} of payload and headers costs on this JVM's heap. G1 stores an array
     * of half a region or more as "humongous", in whole regions of its own: with the shipped heap's
     * 2 MiB regions a 1 MiB payload takes 2 MiB, and counting it as 1 MiB would let twice what fits in.
     */
    public static long cost(long bytes) {
        return cost(bytes, G1_REGION);
    }

    static long cost(long bytes, long region) {
        long array = bytes + ARRAY_HEADER;
        if (region > 0 && array >= region / 2) {
            return (array + region - 1) / region * region + RECORD_OVERHEAD;
        }
        return bytes + RECORD_OVERHEAD;
    }

    private static long g1Region() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot == null || !Boolean.parseBoolean(hotspot.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(hotspot.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The configured budget, in this JVM's heap. */
    public static MemoryBudget of(MemoryConfig memory) {
        return new MemoryBudget(memory.bytes(Runtime.getRuntime().maxMemory()));
    }

    /**
     * A warning when the budget is more than {@link #HEAP_SHARE_LIMIT_PERCENT}% of a heap of
     * {@code maxHeap} bytes (a {@code memory:} size set for a larger heap than this JVM has): records in
     * flight could then fill the heap before the budget stops them.
     */
    public Optional<String> heapWarning(long maxHeap) {
        if (total * 100 <= maxHeap * HEAP_SHARE_LIMIT_PERCENT) {
            return Optional.empty();
        }
        long mib = 1L << 20;
        long neededMib = (total * 100 / HEAP_SHARE_LIMIT_PERCENT + mib - 1) / mib;
        return Optional.of(String.format(Locale.ROOT, "the memory budget of %s is %d%% of the JVM's %d MiB heap, more than %d%%:"
                        + " records in flight could fill the heap before the budget stops them (an OutOfMemoryError);"
                        + " raise -Xmx in config/jvm.options (or BRIDGE_JAVA_OPTS=-Xmx...) to at least %dm, or lower memory:",
                Sizes.format(total), Math.round(100.0 * total / maxHeap), maxHeap / mib, HEAP_SHARE_LIMIT_PERCENT, neededMib));
    }

    /**
     * How many bytes a source may read ahead (see {@link io.msgbridge.spi.SourceContext#readAhead()}):
     * a quarter of what the pipeline may hold in flight, or of its even share of the budget when that is
     * less, at least 1 MiB. Read-ahead comes on top of what is in flight, so the heap must hold both.
     */
    public long readAhead(long pipelineMaxBytes, int pipelines) {
        long share = Math.min(pipelineMaxBytes, total / Math.max(1, pipelines));
        return Math.max(1L << 20, share / 4);
    }

    /** Takes {@code bytes} when they fit; false (nothing taken) when they do not. */
    boolean tryTake(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > total) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** Takes {@code bytes} whether or not they fit: a pipeline's one record that is always let in. */
    void force(long bytes) {
        used.addAndGet(bytes);
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }

    public long total() {
        return total;
    }

    public long used() {
        return used.get();
    }
}

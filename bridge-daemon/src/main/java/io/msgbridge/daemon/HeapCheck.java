package io.msgbridge.daemon;

import io.msgbridge.config.PipelineConfig;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Compares what the pipelines may hold in flight with the JVM's heap, so that a file with many
 * pipelines, or large {@code max-in-flight.bytes}, gets a warning at start rather than an
 * OutOfMemoryError under load. The heap is capped in {@code config/jvm.options} (see
 * docs/operating.md, "Memory"); payload bytes in flight come with some overhead per record, and client buffers, GC
 * headroom and the rest of the daemon need room too, hence the margin.
 */
final class HeapCheck {
    /** The share of the heap that in-flight payloads may take without a warning. */
    static final double SHARE = 0.75;

    private HeapCheck() {
    }

    /** A warning when the pipelines' {@code max-in-flight.bytes} add up to more than {@link #SHARE} of {@code maxHeap}. */
    static Optional<String> warning(List<PipelineConfig> pipelines, long maxHeap) {
        long inFlight = pipelines.stream().mapToLong(PipelineConfig::maxInFlightBytes).sum();
        if (inFlight <= SHARE * maxHeap) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "the %d pipelines may hold up to %d MiB of payload in flight (max-in-flight.bytes, summed), more than %d%% of"
                        + " the JVM's %d MiB heap: raise -Xmx in config/jvm.options (or BRIDGE_JAVA_OPTS=-Xmx...) to at least"
                        + " %d MiB, or lower max-in-flight.bytes",
                pipelines.size(), inFlight >> 20, Math.round(SHARE * 100), maxHeap >> 20,
                (long) Math.ceil(inFlight / SHARE / (1 << 20))));
    }
}

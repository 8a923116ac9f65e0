package io.msgbridge.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.msgbridge.spi.Stage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The {@link PipelineMetrics} of one pipeline, kept in a shared dropwizard {@link MetricRegistry} under the
 * names of {@link MetricNames}. Every series exists from construction (counters at 0, gauges at 0 and the
 * lag at -1), so rates work from the first scrape. Thread-safe; no method blocks.
 *
 * <p>The end-to-end latency is updated for every record, from all lanes at once, so its timer counts
 * into a {@link BucketReservoir} (every value, one atomic increment each) rather than a sampling
 * reservoir, and its meter keeps no moving averages ({@link UncountedRates}).
 *
 * <p>{@link #close()} removes the pipeline's series from the registry. A new instance for the same name
 * (a restarted pipeline) continues the counters it finds in the registry.
 */
public final class DropwizardPipelineMetrics implements PipelineMetrics, AutoCloseable {

    private final MetricRegistry registry;
    private final String pipeline;
    private final Counter recordsIn;
    private final Counter bytesIn;
    private final Counter recordsOut;
    private final Map<Stage, Counter> failedRetriable = new EnumMap<>(Stage.class);
    private final Map<Stage, Counter> failedPermanent = new EnumMap<>(Stage.class);
    private final Counter duplicatesDropped;
    private final Counter deadLettered;
    private final Counter commits;
    private final Counter commitFailures;
    private final Timer commitLatency;
    private final Timer endToEnd;
    private final AtomicReference<LongSupplier> inFlightRecords = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> inFlightBytes = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> sourceLag = new AtomicReference<>(() -> -1L);
    private final AtomicReference<LongSupplier> parkedKeys = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> parkedRecords = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> stalled = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> ready = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> budget = new AtomicReference<>(() -> 0L);
    private final AtomicReference<LongSupplier> budgetUsed = new AtomicReference<>(() -> 0L);

    /**
     * Registers the pipeline's series.
     *
     * @param registry the daemon's shared registry
     * @param pipeline the pipeline's name; must be non-empty and contain no '.'
     * @throws IllegalArgumentException if the name is not allowed
     */
    public DropwizardPipelineMetrics(MetricRegistry registry, String pipeline) {
        this.registry = registry;
        this.pipeline = MetricNames.checkSegment(pipeline);
        recordsIn = counter(MetricNames.RECORDS_IN);
        bytesIn = counter(MetricNames.BYTES_IN);
        recordsOut = counter(MetricNames.RECORDS_OUT);
        for (Stage stage : Stage.values()) {
            failedRetriable.put(stage, counter(MetricNames.RECORDS_FAILED, stage.label(), "true"));
            failedPermanent.put(stage, counter(MetricNames.RECORDS_FAILED, stage.label(), "false"));
        }
        duplicatesDropped = counter(MetricNames.SINK_DUPLICATES_DROPPED);
        deadLettered = counter(MetricNames.RECORDS_DEAD_LETTERED);
        commits = counter(MetricNames.COMMITS);
        commitFailures = counter(MetricNames.COMMIT_FAILURES);
        commitLatency = registry.timer(MetricNames.COMMIT_LATENCY.dropwizardName(pipeline));
        endToEnd = registry.timer(MetricNames.END_TO_END_LATENCY.dropwizardName(pipeline),
                () -> new Timer(new Meter(UncountedRates.INSTANCE), new Histogram(new BucketReservoir()), Clock.defaultClock()));
        gauge(MetricNames.IN_FLIGHT_RECORDS, inFlightRecords);
        gauge(MetricNames.IN_FLIGHT_BYTES, inFlightBytes);
        gauge(MetricNames.SOURCE_LAG, sourceLag);
        gauge(MetricNames.PARKED_KEYS, parkedKeys);
        gauge(MetricNames.PARKED_RECORDS, parkedRecords);
        gauge(MetricNames.STALLED, stalled);
        gauge(MetricNames.READY, ready);
        gauge(MetricNames.MEMORY_BUDGET, budget);
        gauge(MetricNames.MEMORY_BUDGET_USED, budgetUsed);
    }

    /** The pipeline these metrics belong to. */
    public String pipeline() {
        return pipeline;
    }

    @Override
    public void recordsIn(int count, long bytes) {
        recordsIn.inc(count);
        bytesIn.inc(bytes);
    }

    @Override
    public void recordDelivered(long endToEndNanos) {
        recordsOut.inc();
        endToEnd.update(Math.max(0, endToEndNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void recordFailed(Stage stage, boolean retriable) {
        (retriable ? failedRetriable : failedPermanent).get(stage).inc();
    }

    @Override
    public void duplicatesDropped(long count) {
        duplicatesDropped.inc(count);
    }

    @Override
    public void recordDeadLettered() {
        deadLettered.inc();
    }

    @Override
    public void committed(Duration latency) {
        commits.inc();
        commitLatency.update(Math.max(0, latency.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void commitFailed() {
        commitFailures.inc();
    }

    @Override
    public void bindGauges(LongSupplier inFlightRecords, LongSupplier inFlightBytes, LongSupplier sourceLag) {
        this.inFlightRecords.set(inFlightRecords);
        this.inFlightBytes.set(inFlightBytes);
        this.sourceLag.set(sourceLag);
    }

    @Override
    public void bindParked(LongSupplier keys, LongSupplier records) {
        this.parkedKeys.set(keys);
        this.parkedRecords.set(records);
    }

    @Override
    public void bindStalled(LongSupplier stalled) {
        this.stalled.set(stalled);
    }

    @Override
    public void bindReady(LongSupplier ready) {
        this.ready.set(ready);
    }

    @Override
    public void bindMemory(LongSupplier budget, LongSupplier used) {
        this.budget.set(budget);
        this.budgetUsed.set(used);
    }

    /** Removes every series of this pipeline from the registry. Later events update detached metrics. */
    @Override
    public void close() {
        registry.removeMatching((name, metric) -> MetricNames.pipelineOf(name).filter(pipeline::equals).isPresent());
    }

    private Counter counter(MetricNames metric, String... extraValues) {
        return registry.counter(metric.dropwizardName(pipeline, extraValues));
    }

    /** A failing supplier must not break the scrape: the series is left out of it (null is skipped). */
    private static Long read(LongSupplier supplier) {
        try {
            return supplier.getAsLong();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void gauge(MetricNames metric, AtomicReference<LongSupplier> source) {
        String name = metric.dropwizardName(pipeline);
        registry.remove(name);
        registry.register(name, (Gauge<Long>) () -> read(source.get()));
    }
}

package io.msgbridge.metrics;

import io.msgbridge.spi.Stage;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The domain events a pipeline reports; one adapter maps them to the metric registry
 * ({@link MetricNames} lists the names). Called from the pump, lane and committer threads
 * concurrently; implementations must be thread-safe and must not block.
 */
public interface PipelineMetrics {

    /** The source handed out {@code count} records of {@code bytes} bytes in all. */
    void recordsIn(int count, long bytes);

    /**
     * A record was confirmed by the sink; {@code endToEndNanos} is from its event time (or receipt) to
     * now. Nanoseconds rather than a {@code Duration}: this is called once per record.
     */
    void recordDelivered(long endToEndNanos);

    /** One attempt to handle a record failed at {@code stage}. */
    void recordFailed(Stage stage, boolean retriable);

    /** The sink's broker dropped {@code count} published records as duplicates of stored ones (deduplication). */
    void duplicatesDropped(long count);

    /** A record was confirmed by the dead-letter route. */
    void recordDeadLettered();

    /** A commit of the pipeline's watermarks succeeded and took {@code latency}. */
    void committed(Duration latency);

    /** A commit failed (it is tried again next interval). */
    void commitFailed();

    /** Binds the gauges: records and bytes in flight, and the source's lag (-1 when unknown). */
    void bindGauges(LongSupplier inFlightRecords, LongSupplier inFlightBytes, LongSupplier sourceLag);

    /** Binds the gauges of parked keys ({@code on-poison: park-key}) and the records they hold. */
    void bindParked(LongSupplier parkedKeys, LongSupplier parkedRecords);

    /** Binds the stall gauge: 1 while the pipeline is stalled, else 0. */
    void bindStalled(LongSupplier stalled);

    /** Binds the readiness gauge: 1 while the pipeline is ready, else 0. */
    void bindReady(LongSupplier ready);

    /** Binds the gauges of the daemon's memory budget: its size and what is used of it. */
    void bindMemory(LongSupplier budget, LongSupplier used);

    /** A sink for tests and for tools that run a pipeline without an endpoint. */
    PipelineMetrics NONE = new PipelineMetrics() {
        @Override public void recordsIn(int count, long bytes) { }
        @Override public void recordDelivered(long endToEndNanos) { }
        @Override public void recordFailed(Stage stage, boolean retriable) { }
        @Override public void duplicatesDropped(long count) { }
        @Override public void recordDeadLettered() { }
        @Override public void committed(Duration latency) { }
        @Override public void commitFailed() { }
        @Override public void bindGauges(LongSupplier a, LongSupplier b, LongSupplier c) { }
        @Override public void bindParked(LongSupplier a, LongSupplier b) { }
        @Override public void bindStalled(LongSupplier a) { }
        @Override public void bindReady(LongSupplier a) { }
        @Override public void bindMemory(LongSupplier a, LongSupplier b) { }
    };
}

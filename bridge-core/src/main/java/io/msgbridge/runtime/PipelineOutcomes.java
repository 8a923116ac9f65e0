package io.msgbridge.runtime;

import io.msgbridge.metrics.PipelineMetrics;
import io.msgbridge.spi.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where records end: once their lane settles them, marks them done in the tracker, acknowledges them to
 * the source and frees their room in flight; counts them, and keeps the last error for the status
 * endpoint.
 */
final class PipelineOutcomes implements RecordListener {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineOutcomes.class);

    /** The pipeline's counters at one moment. */
    record Counts(long in, long out, long failed, long deadLettered) {
    }

    private record LastError(String text, Instant at) {
    }

    private final InFlightLimiter limiter;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile LastError lastError;

    PipelineOutcomes(InFlightLimiter limiter, PipelineMetrics metrics, Clock clock) {
        this.limiter = limiter;
        this.metrics = metrics;
        this.clock = clock;
    }

    void in(int count, long bytes) {
        in.add(count);
        metrics.recordsIn(count, bytes);
    }

    @Override
    public void delivered(InFlightRecord record, long nowNanos) {
        out.increment();
        metrics.recordDelivered(nowNanos - record.latencyFromNanos);
    }

    @Override
    public void deadLettered(InFlightRecord record) {
        deadLettered.increment();
        metrics.recordDeadLettered();
        LOG.warn("record {} dead-lettered after {} attempts ({} stage): {}", record.describe(),
                Math.max(1, record.attempts), record.failedStage.label(), record.lastError.getMessage());
    }

    @Override
    public void failed(InFlightRecord record, Stage stage, Throwable error) {
        failed.increment();
        boolean retriable = FailurePolicy.retriable(error);
        metrics.recordFailed(stage, retriable);
        error("record " + record.describe() + " failed at " + stage.label() + " (attempt " + record.attempts + "): "
                + error.getMessage());
    }

    @Override
    public void holding(InFlightRecord record, String reason) {
        holding.incrementAndGet();
        LOG.error("pipeline is holding record {}: {}; nothing is dropped, trying again with backoff",
                record.describe(), reason);
        error("holding record " + record.describe() + ": " + reason);
    }

    @Override
    public void released(InFlightRecord record) {
        holding.decrementAndGet();
        LOG.info("record {} moved on after holding", record.describe());
    }

    /** Marks the records done (their positions may be committed), acks them, then frees their room in one go. */
    @Override
    public void settled(List<InFlightRecord> records) {
        long bytes = 0;
        for (InFlightRecord record : records) {
            record.ticket.done();
            record.source.ack().done();
            bytes += record.bytes;
        }
        limiter.release(records.size(), bytes);
    }

    void error(String text) {
        lastError = new LastError(text, clock.instant());
    }

    /** Records a commit outcome: the error text, or null when the commit succeeded. */
    void commitError(String text) {
        if (text != null) {
            error(text);
        }
    }

    int holding() {
        return holding.get();
    }

    Counts counts() {
        return new Counts(in.sum(), out.sum(), failed.sum(), deadLettered.sum());
    }

    String lastError() {
        LastError e = lastError;
        return e == null ? null : e.text();
    }

    Instant lastErrorAt() {
        LastError e = lastError;
        return e == null ? null : e.at();
    }
}

package io.msgbridge.runtime;

import io.msgbridge.backend.Plural;
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
 * Where records end: counts them, hands the done ones to the {@link Settlement}, and keeps what the
 * status endpoint reports: the last error, and whether the destination is unavailable now (a failure
 * that said so, with no record delivered since).
 */
final class PipelineOutcomes implements RecordListener {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineOutcomes.class);

    /** The pipeline's counters at one moment. */
    record Counts(long in, long out, long failed, long deadLettered) {
    }

    private record LastError(String text, Instant at) {
    }

    private final Settlement settlement;
    private final PipelineMetrics metrics;
    private final Clock clock;
    private final LongAdder in = new LongAdder();
    private final LongAdder out = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile LastError lastError;
    /**
     * Why the destination is unavailable, from the last such failure; null once a record got through to
     * the sink or the dead-letter route (the one that was unavailable, or another: a failure since then
     * sets it again).
     */
    private volatile String unavailable;

    PipelineOutcomes(Settlement settlement, PipelineMetrics metrics, Clock clock) {
        this.settlement = settlement;
        this.metrics = metrics;
        this.clock = clock;
    }

    void in(int count, long bytes) {
        in.add(count);
        metrics.recordsIn(count, bytes);
    }

    @Override
    public void delivered(InFlightRecord record, long nowNanos) {
        gotThrough();
        out.increment();
        metrics.recordDelivered(nowNanos - record.latencyFromNanos);
    }

    @Override
    public void deadLettered(InFlightRecord record) {
        gotThrough();
        deadLettered.increment();
        metrics.recordDeadLettered();
        LOG.warn("record {} dead-lettered after {} ({} stage): {}", record.describe(),
                Plural.of(Math.max(1, record.attempts), "attempt"), record.failedStage.label(), record.lastError.getMessage());
    }

    /** A record reached its destination (the sink or the dead-letter route): neither is unavailable now. */
    private void gotThrough() {
        if (unavailable != null) {
            unavailable = null;
            LOG.info("the destination takes records again");
        }
    }

    @Override
    public void failed(InFlightRecord record, Stage stage, Throwable error) {
        failed.increment();
        boolean retriable = FailurePolicy.retriable(error);
        metrics.recordFailed(stage, retriable);
        if (FailurePolicy.unavailable(error)) {
            if (unavailable == null) {
                LOG.warn("the destination is unavailable, records wait and are retried: {}", error.getMessage());
            }
            unavailable = error.getMessage();
        }
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

    @Override
    public void settled(List<InFlightRecord> records) {
        settlement.settle(records);
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

    /** Why the destination is unavailable now, or null when it is not known to be. */
    String unavailable() {
        return unavailable;
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

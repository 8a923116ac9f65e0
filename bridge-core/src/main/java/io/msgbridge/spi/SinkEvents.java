package io.msgbridge.spi;

/**
 * What a sink reports beside the outcome of each publish, for the pipeline's metrics. Called from any
 * thread, a client's callback threads included; implementations are thread-safe and never block.
 */
public interface SinkEvents {

    /**
     * The broker dropped {@code count} published records as duplicates of records it had already
     * stored (broker deduplication at work, e.g. a replay after a restart). Each of those publishes
     * completed normally: the record is at the sink.
     */
    void duplicatesDropped(long count);

    /** Events nobody counts: for tools that run a sink without a pipeline, and for tests. */
    SinkEvents NONE = count -> { };
}

package io.msgbridge.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes records to one broker. One instance serves one pipeline (or one dead-letter route).
 *
 * <p>Threads: {@link #start} is called once by the pipeline's thread. {@link #publish} is called from
 * several lane threads concurrently. {@link #connected} and {@link #close} may be called from any
 * thread.
 */
public interface Sink extends AutoCloseable {

    /**
     * Connects. May block.
     *
     * @throws RetriableException when the broker cannot be reached now (started again with backoff)
     * @throws PermanentException when the configuration cannot work
     */
    void start(SinkContext context) throws InterruptedException;

    /**
     * Publishes one record. May block briefly when the client's own buffer is full (that is
     * backpressure); never waits for the broker's confirmation. The future completes when the broker
     * confirmed the record (where the protocol has no confirmation, when the client flushed it), or
     * exceptionally with a {@link BridgeException}: retriable or permanent. The future must not be
     * completed on a thread that the runtime's continuation could block; the runtime hands
     * completions off to its own threads.
     */
    CompletableFuture<Void> publish(OutboundRecord record);

    /** Whether the sink is connected to its broker now. */
    boolean connected();

    /** Flushes what it can within a short bound and disconnects. Idempotent; never throws. */
    @Override
    void close();
}

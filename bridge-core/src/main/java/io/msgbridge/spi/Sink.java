package io.msgbridge.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes records to one broker. One instance serves one pipeline (or one dead-letter route).
 *
 * <p>Lifecycle (in full in the {@linkplain io.msgbridge.spi package documentation}): {@link #start} may be
 * called again on the same instance after it failed, until it succeeds; then never again. A failed start
 * releases what it acquired. {@link #close} is called once at the end, whether a start succeeded, failed
 * or never ran.
 *
 * <p>Threads: {@link #start} is called by the pipeline's pump thread. {@link #publish} is called only
 * after a successful start, from several lane threads concurrently; records of one ordering key always
 * from one thread (see {@link #ordering()}). {@link #connected}, {@link #ordering} and {@link #close} may
 * be called from any thread.
 */
public interface Sink extends AutoCloseable {

    /**
     * Connects. May block, within the client's connect timeout: a stop waits for it. When it throws, it
     * has released everything it acquired, and may be called again on this instance.
     *
     * @throws RetriableException when the broker cannot be reached now; the runtime calls start again on
     *                            this instance with backoff (as for any exception but the two below)
     * @throws PermanentException when the configuration cannot work; the pipeline fails
     * @throws InterruptedException when interrupted; the pipeline stops
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

    /**
     * How many records of one key the runtime may have at this sink at once, and whether order is kept
     * per key or per source partition; see {@link SinkOrdering} for what each side promises. Read once,
     * after {@link #start}. The default, one record of a key at a time, suits any sink.
     */
    default SinkOrdering ordering() {
        return SinkOrdering.ONE_AT_A_TIME;
    }

    /** Whether the sink is connected to its broker now. */
    boolean connected();

    /** Flushes what it can within a short bound and disconnects. Idempotent; never throws. */
    @Override
    void close();
}

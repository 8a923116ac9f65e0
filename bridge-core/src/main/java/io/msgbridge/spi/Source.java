package io.msgbridge.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads records from one broker. One instance serves one pipeline.
 *
 * <p>Lifecycle (in full in the {@linkplain io.msgbridge.spi package documentation}): {@link #start} may be
 * called again on the same instance after it failed, until it succeeds; then never again. A failed start
 * releases what it acquired. {@link #close} is called once at the end, whether a start succeeded, failed
 * or never ran.
 *
 * <p>Threads: {@link #start} and {@link #poll} are called by the pipeline's single pump thread, never
 * concurrently. {@link #committed} is called by the pipeline's committer thread.
 * {@link SourceRecord.Ack#done()} is called from lane threads. {@link #connected}, {@link #lag} and
 * {@link #close} may be called from any thread.
 *
 * <p>Backpressure: the pump calls {@link #poll} only when the pipeline has room for more records, so a
 * source must not read ahead of what it was asked for beyond a small client buffer (NSQ {@code RDY},
 * Pulsar receiver queue, JetStream pull batch).
 */
public interface Source extends AutoCloseable {

    /**
     * Connects and prepares to read, resuming as {@link SourceContext#resume()} says. May block, within
     * the client's connect timeout: a stop waits for it. When it throws, it has released everything it
     * acquired (connections, consumers, threads), and may be called again on this instance.
     *
     * @throws RetriableException when the broker cannot be reached now; the runtime calls start again on
     *                            this instance with backoff, for as long as it takes (as for any
     *                            exception but the two below)
     * @throws PermanentException when the configuration cannot work (refused credentials, a stream
     *                            that does not exist and may not be created); the pipeline fails,
     *                            other pipelines go on
     * @throws InterruptedException when interrupted; the pipeline stops
     */
    void start(SourceContext context) throws InterruptedException;

    /**
     * Returns up to {@code max} records in source order per partition, waiting at most
     * {@code timeout} for the first. Never null: an empty list when nothing arrived in time.
     * A concurrent {@link #close()} makes a blocked call return promptly.
     *
     * @throws RetriableException while the broker is unreachable; the pump waits and polls again
     */
    List<SourceRecord> poll(int max, Duration timeout) throws InterruptedException;

    /**
     * The runtime stored these watermarks: per partition, every record up to and including the
     * position is done. Sources that acknowledge cumulatively do it here. Must not block for long.
     */
    default void committed(Map<String, Position> watermarks) {
    }

    /** Whether the source is connected to its broker now. */
    boolean connected();

    /** Records the broker holds for this source that were not yet delivered, or -1 when unknown. */
    default long lag() {
        return -1;
    }

    /**
     * Disconnects. Records handed out but not acknowledged are redelivered by the broker later (none
     * for NATS core). Idempotent; never throws.
     */
    @Override
    void close();
}

package io.msgbridge.spi;

/**
 * What a sink is told when it starts.
 *
 * @param pipeline    the pipeline's name (for logs and stable producer names)
 * @param role        whether this sink is the pipeline's sink or its dead-letter route
 * @param writeBuffer the most bytes (payload and headers) of records the pipeline may have at this sink
 *                    at once: its {@code max-in-flight.bytes}, within the daemon's memory budget. Size the
 *                    client's send buffers in bytes from it (a producer's queue of unconfirmed messages);
 *                    a single larger record still comes, alone.
 * @param events      where the sink reports what the pipeline's metrics count beside each publish's outcome
 */
public record SinkContext(String pipeline, Role role, long writeBuffer, SinkEvents events) {
    /** The write buffer when the runtime gives none: the default {@code max-in-flight.bytes}. */
    public static final long DEFAULT_WRITE_BUFFER = 32L << 20;

    public enum Role { SINK, DEAD_LETTER }

    public SinkContext {
        if (writeBuffer < 1) {
            throw new IllegalArgumentException("writeBuffer must be positive, not " + writeBuffer);
        }
        if (events == null) {
            throw new IllegalArgumentException("events must not be null; SinkEvents.NONE counts nothing");
        }
    }

    public SinkContext(String pipeline, Role role, long writeBuffer) {
        this(pipeline, role, writeBuffer, SinkEvents.NONE);
    }

    public SinkContext(String pipeline, Role role) {
        this(pipeline, role, DEFAULT_WRITE_BUFFER);
    }
}

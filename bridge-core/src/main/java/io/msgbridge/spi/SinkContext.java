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
 */
public record SinkContext(String pipeline, Role role, long writeBuffer) {
    /** The write buffer when the runtime gives none: the default {@code max-in-flight.bytes}. */
    public static final long DEFAULT_WRITE_BUFFER = 32L << 20;

    public enum Role { SINK, DEAD_LETTER }

    public SinkContext {
        if (writeBuffer < 1) {
            throw new IllegalArgumentException("writeBuffer must be positive, not " + writeBuffer);
        }
    }

    public SinkContext(String pipeline, Role role) {
        this(pipeline, role, DEFAULT_WRITE_BUFFER);
    }
}

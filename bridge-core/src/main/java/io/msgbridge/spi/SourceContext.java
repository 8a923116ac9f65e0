package io.msgbridge.spi;

import java.util.Map;

/**
 * What a source is told when it starts.
 *
 * @param pipeline    the pipeline's name (for logs, durable consumer names)
 * @param resume      where to start: from the stored positions or from the broker's own cursor
 * @param stored      per partition, the last committed position (empty on a first start). With
 *                    {@link Resume#STORE} a source that can seek resumes after these positions.
 * @param maxInFlight the most records the pipeline holds at once; a hint for client buffer sizes
 * @param readAhead   the most bytes (payload and headers) the source's client may hold fetched ahead of
 *                    what the pipeline has taken in, and about the most one poll returns: size the
 *                    client's fetch and receive buffers in bytes from it (a single larger message still
 *                    comes, alone). It is a share of the daemon's memory budget.
 */
public record SourceContext(String pipeline, Resume resume, Map<String, Position> stored, int maxInFlight,
                            long readAhead) {
    /** The read-ahead when the runtime gives none: enough for a pull batch of small messages. */
    public static final long DEFAULT_READ_AHEAD = 8L << 20;

    public SourceContext {
        stored = Map.copyOf(stored);
        if (readAhead < 1) {
            throw new IllegalArgumentException("readAhead must be positive, not " + readAhead);
        }
    }

    public SourceContext(String pipeline, Resume resume, Map<String, Position> stored, int maxInFlight) {
        this(pipeline, resume, stored, maxInFlight, DEFAULT_READ_AHEAD);
    }

    /** Where a source starts reading. */
    public enum Resume {
        /** After the positions in the offset store, where the broker can seek. */
        STORE,
        /** From the broker's own cursor (durable consumer, subscription). */
        BROKER
    }
}

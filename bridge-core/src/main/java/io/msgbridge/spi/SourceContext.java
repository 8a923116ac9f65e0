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
 */
public record SourceContext(String pipeline, Resume resume, Map<String, Position> stored, int maxInFlight) {
    public SourceContext {
        stored = Map.copyOf(stored);
    }

    /** Where a source starts reading. */
    public enum Resume {
        /** After the positions in the offset store, where the broker can seek. */
        STORE,
        /** From the broker's own cursor (durable consumer, subscription). */
        BROKER
    }
}

package io.msgbridge.spi;

/**
 * What order a sink keeps, so the runtime knows how many records of one ordering key it may have at
 * the sink at once ({@link Sink#ordering()}).
 *
 * <p>The runtime's side of the contract, for every sink: per ordering key it publishes records in
 * source order, from one thread, at most {@code window} of them unconfirmed at a time. When a publish
 * fails, it publishes no later record of the key until every record of the key it had at the sink has
 * its outcome; then it publishes again from the failed record, in order, including the later records
 * that the sink had confirmed meanwhile (a deduplicating sink drops those copies; another broker shows
 * them twice, the last copy in order). So per key a consumer sees source order; only where a sink
 * confirmed a record while an earlier one of its key failed may it appear before that one, and again
 * after it.
 *
 * <p>The sink's side, for a window above 1: records published one after another from one thread reach
 * the broker in that order (one connection, or one producer, written in order). For strict order, of
 * the records of a key in flight together the broker stores a prefix: once one fails, none published
 * after it is stored until the runtime publishes again from it ({@link OutboundRecord#resumes()}). A
 * sink whose broker cannot promise that says in its documentation what a consumer may see.
 *
 * @param window how many records of one ordering key may be unconfirmed at the sink at once; 1 when the
 *               sink cannot keep the order of records in flight together
 * @param scope  what an ordering key is: the pipeline's key, or the source partition, for a sink that
 *               needs every record of a source partition in source order (deduplication by a sequence
 *               that must grow per producer)
 */
public record SinkOrdering(int window, Scope scope) {
    /** One record of a key at the sink at a time: the next one is published once this one is confirmed. */
    public static final SinkOrdering ONE_AT_A_TIME = new SinkOrdering(1, Scope.KEY);

    public enum Scope {
        /** Order is kept per the pipeline's key ({@code key:}); records of other keys pass each other. */
        KEY,
        /** Order is kept per source partition, whatever the key: every record of a partition in order. */
        SOURCE_PARTITION
    }

    public SinkOrdering {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, not " + window);
        }
        java.util.Objects.requireNonNull(scope, "scope");
    }

    /** Up to {@code window} records of a key in flight together, in order. */
    public static SinkOrdering pipelined(int window) {
        return new SinkOrdering(window, Scope.KEY);
    }

    /** This ordering with its scope widened to whole source partitions. */
    public SinkOrdering perSourcePartition() {
        return new SinkOrdering(window, Scope.SOURCE_PARTITION);
    }
}

package io.msgbridge.bench;

/**
 * Where a scenario's records end: created before a run, written by the variant under test, read by
 * the end consumer (which measures latency and counts), deleted after the run.
 */
interface SinkEndpoint extends AutoCloseable {

    /** Creates what the sink needs (a stream, a topic) and starts the end consumer into {@code receipts}. */
    void create(Receipts receipts) throws Exception;

    /** The pipeline's {@code to:} value as a YAML flow map. */
    String yamlTo();

    /** How the baseline process opens this sink (see {@link BaselineMain}). */
    String baselineSpec();

    /** Records the broker stored for this sink (-1 when it cannot tell). */
    long stored() throws Exception;

    /** Stops the end consumer and deletes what {@link #create} made. Never throws. */
    @Override
    void close();
}

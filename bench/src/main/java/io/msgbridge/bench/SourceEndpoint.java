package io.msgbridge.bench;

/**
 * Where a scenario's records start: created before a run, fed by the orchestrator's producer, read by
 * the variant under test, deleted after the run. One implementation per broker kind: NATS core,
 * JetStream, Pulsar, NSQ.
 */
interface SourceEndpoint extends AutoCloseable {

    /** Creates what the source needs on the broker (a stream, a topic); names are unique per run. */
    void create() throws Exception;

    /** True when the broker stores records until they are read, so a run can preload and drain. */
    boolean holdsRecords();

    /** Publishes record {@code sequence}, stamped now, keyed by {@link Payloads#key}. May block for flow control. */
    void publish(long sequence) throws Exception;

    /** Waits until everything published so far was accepted by the broker. */
    void flush() throws Exception;

    /** The pipeline's {@code from:} value as a YAML flow map. */
    String yamlFrom();

    /**
     * The pipeline's {@code key:}: {@code native}, the broker's own key, which the orchestrator sets to
     * {@link Payloads#key}; sources without keys override it.
     */
    default String yamlKey() {
        return "native";
    }

    /** How the baseline process opens this source (see {@link BaselineMain}). */
    String baselineSpec();

    /** Deletes what {@link #create()} made. Never throws. */
    @Override
    void close();
}

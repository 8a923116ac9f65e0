package io.msgbridge.bench;

/**
 * Where a scenario's records start: created before a run, fed by the orchestrator's producer, read by
 * the variant under test, deleted after the run. One implementation per broker kind: NATS core,
 * JetStream, Pulsar, NSQ, Kafka, RocketMQ.
 */
interface SourceEndpoint extends AutoCloseable {

    /** Creates what the source needs on the broker (a stream, a topic); names are unique per run. */
    void create() throws Exception;

    /** True when the broker stores records until they are read, so a run can preload and drain. */
    boolean holdsRecords();

    /** Publishes record {@code sequence}, stamped now, keyed as the scenario's {@link Keys} say. May block for flow control. */
    void publish(long sequence) throws Exception;

    /** Waits until everything published so far was accepted by the broker. */
    void flush() throws Exception;

    /**
     * Hands each record to {@code hop} as the broker takes it in, through a plain subscription on the
     * source (producer, broker, subscriber: no variant), so a fixed-rate run also measures the broker's
     * own hop at that rate. Returns false where this source has no such subscription.
     */
    default boolean observe(Receipts hop) throws Exception {
        return false;
    }

    /** The pipeline's {@code from:} value as a YAML flow map. */
    String yamlFrom();

    /**
     * How the pipeline reads the records' key ({@code key:}): {@code native}, the broker's own key, which
     * the orchestrator sets as the scenario's {@link Keys} say; sources without keys override it. A
     * scenario whose records carry no key uses {@code none} instead ({@link Keys#pipelineKey}).
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

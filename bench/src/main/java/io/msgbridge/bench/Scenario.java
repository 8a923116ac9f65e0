package io.msgbridge.bench;

import io.msgbridge.nsq.NsqBrokers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One benchmark scenario: a source and a sink kind, how records are loaded, and how many. To add a
 * backend, add its {@link SourceEndpoint}/{@link SinkEndpoint}, its baseline clients and one entry in
 * {@link #ALL}.
 *
 * @param name        the command-line name
 * @param description a line for the report
 * @param endpoints   makes the run's source and sink, given a unique run id
 * @param load        how records get to the source
 * @param keys        how the records are keyed, and so what the bridge orders by
 * @param records     records per run
 * @param rounds      rounds per variant (0: the suite's default)
 * @param variants    the variants to run, in the order of each round
 */
record Scenario(String name, String description, Endpoints endpoints, Load load, Keys keys, int records, int rounds,
                List<Variant> variants) {

    /** How records get to the source. */
    enum Load {
        /** All records are stored at the source before the variant starts: the run measures the drain rate. */
        PRELOAD,
        /**
         * A producer publishes while the variant runs (sources that cannot hold records), as fast as the
         * variant delivers: at most {@link Bench#LOOP_WINDOW} records ahead of the end consumer, fewer than
         * any buffer on the way holds, so nothing is dropped for want of room. The run measures the highest
         * rate the variant sustains without loss, with the producer on the same cores. (A producer at full
         * speed measured overload instead: core NATS dropped 60% of the records in the baseline and 85% in
         * the bridge, and the rate of what was left said more about the scheduler than about either.)
         */
        CLOSED_LOOP,
        /** A producer publishes at half the baseline's throughput with a live producer ({@link #CALIBRATION}); the run measures latency. */
        HALF_BASELINE_RATE
    }

    /** The variants compared. */
    enum Variant { BASELINE, BRIDGE }

    /** Makes a run's endpoints. */
    interface Endpoints {
        /** The run's source, publishing records keyed as {@code keys} say. */
        SourceEndpoint source(Brokers brokers, String run, Keys keys) throws Exception;

        SinkEndpoint sink(Brokers brokers, String run) throws Exception;
    }

    private static final List<Variant> BOTH = List.of(Variant.BASELINE, Variant.BRIDGE);
    private static final int RECORDS = Integer.getInteger("bench.records", 500_000);

    private static final String REAL_NSQD = "nsqd-to-jetstream";

    private static final SourceMaker JET_STREAM_SOURCE = (brokers, run, keys) -> brokers.nats().jetStreamSource(run, false, keys);
    private static final SinkMaker JET_STREAM_SINK = (brokers, run) -> brokers.nats().jetStreamSink(run, -1);
    private static final SinkMaker PULSAR_SINK = (brokers, run) -> brokers.pulsar().sink(run);
    private static final SinkMaker KAFKA_SINK = (brokers, run) -> brokers.kafka().sink(run);

    /** Every scenario by name, in the default run order; {@link #DEFAULT} lists those run without arguments. */
    static final Map<String, Scenario> ALL = new LinkedHashMap<>();
    /**
     * Every scenario but soak, and {@value #REAL_NSQD} only when {@code NSQD} names an nsqd binary. The
     * Pulsar scenarios come after the others and the Kafka ones last: the broker each starts runs (and
     * takes CPU) until the suite ends.
     */
    static final List<String> DEFAULT = Stream.of("core-to-jetstream", "jetstream-to-jetstream", "latency", "nsq-to-jetstream",
                    REAL_NSQD, "jetstream-to-pulsar", "pulsar-to-pulsar", "jetstream-to-kafka", "kafka-to-kafka")
            .filter(name -> !name.equals(REAL_NSQD) || NsqBrokers.realNsqdConfigured()).toList();
    /**
     * The key-cardinality scenarios, JetStream -> JetStream and then JetStream -> Pulsar, each with one
     * key, 10, 1,000 and records without a key under {@code key: none}: how the bridge's throughput
     * depends on how many keys it keeps in order, against the same plain loop (which orders nothing).
     * Run as a group ({@code bench/run keys}); the report gives them a table of their own.
     */
    static final List<String> KEY_CARDINALITY = new ArrayList<>();
    /** Names on the command line that stand for several scenarios, in the order they run. */
    static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        add(new Scenario("core-to-jetstream", "NATS core -> JetStream, producer paced by the end consumer (closed loop)",
                endpoints((brokers, run, keys) -> brokers.nats().coreSource(run, keys), JET_STREAM_SINK),
                Load.CLOSED_LOOP, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("jetstream-to-jetstream", "JetStream -> JetStream, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("latency", "JetStream -> JetStream at 50% of the baseline's throughput",
                endpoints(JET_STREAM_SOURCE, JET_STREAM_SINK),
                Load.HALF_BASELINE_RATE, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("nsq-to-jetstream", "NSQ (the nsqd test double, in the bench process) -> JetStream, preloaded, drain rate",
                endpoints((brokers, run, keys) -> brokers.nsqTestDouble().source(run, keys), JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario(REAL_NSQD, "NSQ (a real nsqd, $NSQD) -> JetStream, preloaded, drain rate",
                endpoints((brokers, run, keys) -> brokers.nsqd().source(run, keys), JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("jetstream-to-pulsar", "JetStream -> Pulsar, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, PULSAR_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("pulsar-to-pulsar", "Pulsar -> Pulsar, preloaded, drain rate",
                endpoints((brokers, run, keys) -> brokers.pulsar().source(run, keys), PULSAR_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("jetstream-to-kafka", "JetStream -> Kafka, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, KAFKA_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        add(new Scenario("kafka-to-kafka", "Kafka -> Kafka, preloaded, drain rate",
                endpoints((brokers, run, keys) -> brokers.kafka().source(run, keys), KAFKA_SINK),
                Load.PRELOAD, Keys.THOUSAND, RECORDS, 0, BOTH));
        keyCardinality("jetstream-to-jetstream", "JetStream -> JetStream", JET_STREAM_SINK);
        keyCardinality("jetstream-to-pulsar", "JetStream -> Pulsar", PULSAR_SINK);
        GROUPS.put("keys", List.copyOf(KEY_CARDINALITY));
        add(new Scenario("soak", "JetStream -> JetStream at 50% of the baseline's throughput, memory over a long run (5,000,000 records by default)",
                endpoints((brokers, run, keys) -> brokers.nats().jetStreamSource(run, true, keys), (brokers, run) -> brokers.nats().jetStreamSink(run, 100_000)),
                Load.HALF_BASELINE_RATE, Keys.THOUSAND, Integer.getInteger("bench.soak.records", 5_000_000), 1, List.of(Variant.BRIDGE)));
    }

    /**
     * What the fixed-rate scenarios are calibrated on: JetStream -> JetStream with a producer running
     * while the variant runs, as in the latency run itself, paced by the end consumer (closed loop): the
     * rate the baseline sustains. (The drain rate of a preloaded stream is not a rate the machine can
     * sustain with a producer on the same two cores, nor is the rate with a producer at full speed, which
     * builds a backlog: half of either overloaded both variants, with latencies of seconds.)
     */
    static final Scenario CALIBRATION = new Scenario("calibration", "JetStream -> JetStream, producer paced by the end consumer",
            endpoints(JET_STREAM_SOURCE, JET_STREAM_SINK),
            Load.CLOSED_LOOP, Keys.THOUSAND, RECORDS, 1, List.of(Variant.BASELINE));

    private static void add(Scenario scenario) {
        ALL.put(scenario.name(), scenario);
    }

    /** {@code route}'s drain scenarios with 1, 10 and 1,000 keys and without a key: see {@link #KEY_CARDINALITY}. */
    private static void keyCardinality(String route, String label, SinkMaker sink) {
        for (Keys keys : List.of(new Keys(1), new Keys(10), Keys.THOUSAND, Keys.NONE)) {
            String name = route + (keys.keyed() ? "-keys-" + keys.distinct() : "-key-none");
            String ordered = keys.keyed() ? keys.label() + (keys.distinct() == 1 ? " key" : " keys") + ", key: native"
                    : "records without a key, key: none";
            add(new Scenario(name, label + ", preloaded, drain rate, " + ordered, endpoints(JET_STREAM_SOURCE, sink),
                    Load.PRELOAD, keys, RECORDS, 0, BOTH));
            KEY_CARDINALITY.add(name);
        }
    }

    /** The scenarios {@code args} name, groups expanded ({@link #GROUPS}); {@link #DEFAULT} for none. */
    static List<String> named(List<String> args) {
        if (args.isEmpty()) {
            return DEFAULT;
        }
        return args.stream().flatMap(arg -> GROUPS.getOrDefault(arg, List.of(arg)).stream()).toList();
    }

    private interface SourceMaker {
        SourceEndpoint make(Brokers brokers, String run, Keys keys) throws Exception;
    }

    private interface SinkMaker {
        SinkEndpoint make(Brokers brokers, String run) throws Exception;
    }

    private static Endpoints endpoints(SourceMaker source, SinkMaker sink) {
        return new Endpoints() {
            @Override
            public SourceEndpoint source(Brokers brokers, String run, Keys keys) throws Exception {
                return source.make(brokers, run, keys);
            }

            @Override
            public SinkEndpoint sink(Brokers brokers, String run) throws Exception {
                return sink.make(brokers, run);
            }
        };
    }
}

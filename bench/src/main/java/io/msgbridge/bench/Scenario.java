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
 * @param volume      how many records a run sends, and of what size
 * @param rounds      rounds per variant (0: the suite's default)
 * @param variants    the variants to run, in the order of each round
 */
record Scenario(String name, String description, Endpoints endpoints, Load load, Keys keys, Volume volume, int rounds,
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
        /** The run's source, publishing {@code payloads} keyed as {@code keys} say. */
        SourceEndpoint source(Brokers brokers, String run, Keys keys, Payloads payloads) throws Exception;

        SinkEndpoint sink(Brokers brokers, String run) throws Exception;
    }

    private static final List<Variant> BOTH = List.of(Variant.BASELINE, Variant.BRIDGE);

    private static final String REAL_NSQD = "nsqd-to-jetstream";

    private static final SourceMaker JET_STREAM_SOURCE = (brokers, run, keys, payloads) -> brokers.nats().jetStreamSource(run, false, keys, payloads);
    private static final SinkMaker JET_STREAM_SINK = (brokers, run) -> brokers.nats().jetStreamSink(run, -1);
    private static final SinkMaker PULSAR_SINK = (brokers, run) -> brokers.pulsar().sink(run);
    private static final SinkMaker KAFKA_SINK = (brokers, run) -> brokers.kafka().sink(run);
    private static final SinkMaker ROCKETMQ_SINK = (brokers, run) -> brokers.rocketMq().sink(run);

    /** Every scenario by name, in the default run order; {@link #DEFAULT} lists those run without arguments. */
    static final Map<String, Scenario> ALL = new LinkedHashMap<>();
    /**
     * Every scenario but soak, and {@value #REAL_NSQD} only when {@code NSQD} names an nsqd binary. The
     * Pulsar scenarios come after the others, then the Kafka ones and the RocketMQ ones last: the broker
     * each starts runs (and takes CPU) until the suite ends.
     */
    static final List<String> DEFAULT = Stream.of("core-to-jetstream", "jetstream-to-jetstream", "latency", "nsq-to-jetstream",
                    REAL_NSQD, "jetstream-to-pulsar", "pulsar-to-pulsar", "jetstream-to-kafka", "kafka-to-kafka",
                    "jetstream-to-rocketmq", "rocketmq-to-rocketmq")
            .filter(name -> !name.equals(REAL_NSQD) || NsqBrokers.realNsqdConfigured()).toList();
    /**
     * The key-cardinality scenarios, JetStream -> JetStream and then JetStream -> Pulsar, each with one
     * key, 10, 1,000 and records without a key under {@code key: none}: how the bridge's throughput
     * depends on how many keys it keeps in order, against the same plain loop (which orders nothing).
     * Run as a group ({@code bench/run keys}); the report gives them a table of their own.
     */
    static final List<String> KEY_CARDINALITY = new ArrayList<>();
    /**
     * The large-message scenarios, JetStream -> JetStream and then JetStream -> Pulsar, each with 64 KiB
     * and 512 KiB payloads and as many bytes a run as the 1 KiB scenarios
     * ({@link Volume#sameBytes}): MB/s against the same plain loop, and the variants' peak RSS, where a
     * client that buffers by message count would hold hundreds of MiB. Run as a group
     * ({@code bench/run large}); the report gives them a table of their own.
     */
    static final List<String> LARGE_MESSAGES = new ArrayList<>();
    /** Names on the command line that stand for several scenarios, in the order they run. */
    static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

    static {
        add(new Scenario("core-to-jetstream", "NATS core -> JetStream, producer paced by the end consumer (closed loop)",
                endpoints((brokers, run, keys, payloads) -> brokers.nats().coreSource(run, keys, payloads), JET_STREAM_SINK),
                Load.CLOSED_LOOP, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("jetstream-to-jetstream", "JetStream -> JetStream, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("latency", "JetStream -> JetStream at 50% of the baseline's throughput",
                endpoints(JET_STREAM_SOURCE, JET_STREAM_SINK),
                Load.HALF_BASELINE_RATE, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("nsq-to-jetstream", "NSQ (the nsqd test double, in the bench process) -> JetStream, preloaded, drain rate",
                endpoints((brokers, run, keys, payloads) -> brokers.nsqTestDouble().source(run, keys, payloads), JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario(REAL_NSQD, "NSQ (a real nsqd, $NSQD) -> JetStream, preloaded, drain rate",
                endpoints((brokers, run, keys, payloads) -> brokers.nsqd().source(run, keys, payloads), JET_STREAM_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("jetstream-to-pulsar", "JetStream -> Pulsar, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, PULSAR_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("pulsar-to-pulsar", "Pulsar -> Pulsar, preloaded, drain rate",
                endpoints((brokers, run, keys, payloads) -> brokers.pulsar().source(run, keys, payloads), PULSAR_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("jetstream-to-kafka", "JetStream -> Kafka, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, KAFKA_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("kafka-to-kafka", "Kafka -> Kafka, preloaded, drain rate",
                endpoints((brokers, run, keys, payloads) -> brokers.kafka().source(run, keys, payloads), KAFKA_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("jetstream-to-rocketmq", "JetStream -> RocketMQ, preloaded, drain rate",
                endpoints(JET_STREAM_SOURCE, ROCKETMQ_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        add(new Scenario("rocketmq-to-rocketmq", "RocketMQ -> RocketMQ, preloaded, drain rate",
                endpoints((brokers, run, keys, payloads) -> brokers.rocketMq().source(run, keys, payloads), ROCKETMQ_SINK),
                Load.PRELOAD, Keys.THOUSAND, Volume.DEFAULT, 0, BOTH));
        keyCardinality("jetstream-to-jetstream", "JetStream -> JetStream", JET_STREAM_SINK);
        keyCardinality("jetstream-to-pulsar", "JetStream -> Pulsar", PULSAR_SINK);
        GROUPS.put("keys", List.copyOf(KEY_CARDINALITY));
        largeMessages("jetstream-to-jetstream", "JetStream -> JetStream", JET_STREAM_SINK);
        largeMessages("jetstream-to-pulsar", "JetStream -> Pulsar", PULSAR_SINK);
        GROUPS.put("large", List.copyOf(LARGE_MESSAGES));
        add(new Scenario("soak", "JetStream -> JetStream at 50% of the baseline's throughput, memory over a long run (5,000,000 records by default)",
                endpoints((brokers, run, keys, payloads) -> brokers.nats().jetStreamSource(run, true, keys, payloads), (brokers, run) -> brokers.nats().jetStreamSink(run, 100_000)),
                Load.HALF_BASELINE_RATE, Keys.THOUSAND,
                new Volume(Payloads.KIB, Bench.WARM_UP, Integer.getInteger("bench.soak.records", 5_000_000)), 1, List.of(Variant.BRIDGE)));
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
            Load.CLOSED_LOOP, Keys.THOUSAND, Volume.DEFAULT, 1, List.of(Variant.BASELINE));

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
                    Load.PRELOAD, keys, Volume.DEFAULT, 0, BOTH));
            KEY_CARDINALITY.add(name);
        }
    }

    /** {@code route}'s drain scenarios with 64 KiB and 512 KiB payloads: see {@link #LARGE_MESSAGES}. */
    private static void largeMessages(String route, String label, SinkMaker sink) {
        for (int kib : List.of(64, 512)) {
            String name = route + "-" + kib + "k";
            add(new Scenario(name, label + ", preloaded, drain rate, " + kib + " KiB payloads",
                    endpoints(JET_STREAM_SOURCE, sink), Load.PRELOAD, Keys.THOUSAND, Volume.sameBytes(kib << 10), 0, BOTH));
            LARGE_MESSAGES.add(name);
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
        SourceEndpoint make(Brokers brokers, String run, Keys keys, Payloads payloads) throws Exception;
    }

    private interface SinkMaker {
        SinkEndpoint make(Brokers brokers, String run) throws Exception;
    }

    private static Endpoints endpoints(SourceMaker source, SinkMaker sink) {
        return new Endpoints() {
            @Override
            public SourceEndpoint source(Brokers brokers, String run, Keys keys, Payloads payloads) throws Exception {
                return source.make(brokers, run, keys, payloads);
            }

            @Override
            public SinkEndpoint sink(Brokers brokers, String run) throws Exception {
                return sink.make(brokers, run);
            }
        };
    }
}

package io.msgbridge.bench;

import io.msgbridge.testing.Ports;
import io.msgbridge.testing.Postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark orchestrator ({@code bench/run [SCENARIO...]}): for each scenario and round, launches
 * each variant once (baseline, then bridge: A B A B ...), feeds the source, measures at the end
 * consumer and in {@code /proc}, and writes the report under {@code bench/results/}.
 *
 * <p>System properties (bench/run sets the first two): {@code bench.daemon.classpath},
 * {@code bench.results}, {@code bench.rounds} (5), {@code bench.records} (measured 1 KiB records per run, 500000; see {@link Volume}),
 * {@code bench.rate} (records/s for the fixed-rate scenarios, instead of half the measured baseline),
 * {@code bench.jvm.options} (the daemon's JVM options file, config/jvm.options: both variants run
 * with it, so they compare code on the same JVM settings and the bridge runs as users run it),
 * {@code bench.bridge.jvm} and {@code bench.baseline.jvm} (extra JVM options after it, e.g. for JFR),
 * {@code bench.warmup.records} (1 KiB records sent before the measured ones, 1500000; see {@link Volume}), {@code bench.pipeline} (settings added to the bridge's pipeline, one per line, e.g. "lanes: 32") and
 * {@code bench.baseline.max.in.flight} (the baseline's unconfirmed-record window; by default the bridge's default in-flight limit, 2,000)
 * and {@code bench.before.classpath} (see {@link #BEFORE_CLASSPATH}); {@code bench.command}, which bench/run
 * sets, is the command the report names as the one that reproduces it.
 *
 * <p>Arguments: scenario names ({@link Scenario#ALL}) or group names ({@link Scenario#GROUPS}); none runs
 * {@link Scenario#DEFAULT}.
 */
public final class Bench {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIET_AFTER_PRODUCER = Duration.ofSeconds(3);
    /** Every how many 20 ms turns of the measuring loop the variant's compiler threads are looked at (see {@link VariantProcess#lookAtCompilerThreads()}). */
    private static final int COMPILER_LOOK_EVERY = 10;
    /**
     * How far a closed-loop producer may run ahead of the end consumer, in records: the bridge's default
     * in-flight limit (2,000) and more, so neither variant waits for records, and half of the smallest
     * buffer on the way (a core NATS subscription's 10,000 in both variants), so none overflows.
     */
    static final int LOOP_WINDOW = 5_000;
    /**
     * How long a closed-loop producer waits on a full window with nothing received before it goes on as
     * if the window's records were lost (they are reported lost at the end of the run).
     */
    private static final Duration LOOP_GIVE_UP = Duration.ofSeconds(1);
    /** The fixed-rate producer's schedule granularity: see {@link #produce}. */
    private static final long PRODUCER_TICK_NANOS = 1_000_000;
    /**
     * Records of 1 KiB each run sends before the measured ones, to warm a variant up: class loading,
     * connection set-up and JIT compilation, for both variants alike (see {@link Receipts}): the bench
     * measures a daemon that has run for a while, not its first minute. A scenario of larger records
     * sends as many bytes ({@link Volume#sameBytes}). The report shows what compiling still cost
     * in the measured window ({@link RunResult#jitSecondsPerMillion()}). With 300,000 warm-up records,
     * on a day this machine drained JetStream -> JetStream at 25,000 records/s, that was 3.1-3.9 CPU s
     * per million records of the bridge's 23-26 (2.2-2.6 of the baseline's 21-22) and the ratios were
     * 0.84, 0.87, 0.98; with 600,000, 1.2-2.2 of the bridge's (the committer's PostgreSQL driver code,
     * run once a second, was still being compiled) and 0.1-0.2 of the baseline's, and the ratios 0.99, 0.97,
     * 0.89. (The first 20% of 500,000 records, the warm-up before 300,000, left the bridge's CPU per
     * record 50-65% above the baseline's.) With 600,000, on 2026-12-03, JetStream -> Pulsar still compiled
     * the Pulsar client's batching and protocol code in the measured window (its big methods such as
     * {@code BaseCommand.writeTo} reach C2 late, behind a compile queue the two busy cores work off slowly):
     * 2.1-3.3 CPU s/M of the bridge's 12-17 against 1.2-1.8 of the baseline's 8-11, and that window's
     * ratios 0.81-0.90; with 1,500,000, 0.4 against 0.3, the bridge at 10.1 against 7.9 CPU s/M, 1.05.
     */
    static final int WARM_UP = Integer.getInteger("bench.warmup.records", 1_500_000);
    /**
     * A before/after comparison of the bridge itself: when set, the baseline variant is the bridge daemon
     * run from this class path (an earlier build) instead of the plain client loop, with the same pipeline,
     * JVM options and alternation, so "bridge/baseline" reads after/before. A change to the bridge's own
     * cost is smaller than the run-to-run spread of this shared machine; measured against itself in
     * alternation, round by round, it shows.
     */
    private static final String BEFORE_CLASSPATH = System.getProperty("bench.before.classpath");
    /**
     * The baseline's logging configuration, a resource of the bench's jar (bench/run names the same for
     * the bench process): the test-jars on the class path bring logback-test.xml files of their own.
     */
    private static final String BASELINE_LOGGING = "-Dlogback.configurationFile=bench-logback.xml";

    private final Brokers brokers = new Brokers();
    private final Path results = Path.of(System.getProperty("bench.results", "bench/results"));
    private final int rounds = Integer.getInteger("bench.rounds", 5);
    private final List<ScenarioResult> done = new ArrayList<>();
    private Double calibratedRate;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = Scenario.named(Arrays.asList(args));
        for (String name : names) {
            if (!Scenario.ALL.containsKey(name)) {
                System.err.println("unknown scenario " + name + "; known: " + String.join(", ", Scenario.ALL.keySet())
                        + "; groups: " + String.join(", ", Scenario.GROUPS.keySet()));
                System.exit(2);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy)));
        try {
            Postgres.dropSchemasStartingWith("bench_");
        } catch (SQLException e) {
            System.err.println("bench: could not drop the schemas of interrupted runs (bench_*): " + e.getMessage());
        }
        try {
            Bench bench = new Bench();
            try (bench.brokers) {
                for (String name : names) {
                    bench.done.add(bench.scenario(Scenario.ALL.get(name)));
                    Report.write(bench.done, bench.results, LocalDate.now());
                }
            }
        } catch (Throwable e) {
            // Exit rather than return: the clients' threads would keep the JVM, and bench/run, waiting.
            // The scenarios done so far are in bench/results already (written after each).
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private ScenarioResult scenario(Scenario scenario) throws Exception {
        Double rate = scenario.load() == Scenario.Load.HALF_BASELINE_RATE ? halfBaselineRate() : null;
        int scenarioRounds = scenario.rounds() > 0 ? scenario.rounds() : rounds;
        if (BEFORE_CLASSPATH != null) {
            System.out.println("== before/after: \"baseline\" is the bridge from " + BEFORE_CLASSPATH);
        }
        Volume volume = scenario.volume();
        System.out.printf(Locale.ROOT, "== %s: %s (%,d warm-up + %,d measured records of %,d bytes x %d rounds%s)%n", scenario.name(),
                scenario.description(), volume.warmUp(), volume.records(), volume.payloads().size(), scenarioRounds, rate == null ? "" : String.format(Locale.ROOT, ", %.0f records/s", rate));
        List<RunResult> runs = new ArrayList<>();
        for (int round = 1; round <= scenarioRounds; round++) {
            for (Scenario.Variant variant : scenario.variants()) {
                RunResult result = run(scenario, variant, round, rate);
                runs.add(result);
                System.out.println("   " + Report.line(result));
            }
        }
        return new ScenarioResult(scenario.name(), scenario.description(), volume, rate, runs);
    }

    /** Half the baseline's throughput in one {@link Scenario#CALIBRATION} run, measured once per suite. */
    private double halfBaselineRate() throws Exception {
        String fixed = System.getProperty("bench.rate");
        if (fixed != null) {
            return Double.parseDouble(fixed);
        }
        if (calibratedRate == null) {
            System.out.println("== calibrating: one baseline run of JetStream -> JetStream, producer paced by the end consumer");
            RunResult calibration = run(Scenario.CALIBRATION, Scenario.Variant.BASELINE, 0, null);
            System.out.println("   " + Report.line(calibration));
            calibratedRate = calibration.recordsPerSecond() / 2;
        }
        return calibratedRate;
    }

    private RunResult run(Scenario scenario, Scenario.Variant variant, int round, Double rate) throws Exception {
        String run = String.format(Locale.ROOT, "%s%d%s%04x", abbreviation(scenario.name()), round,
                variant == Scenario.Variant.BRIDGE ? "B" : "A", ThreadLocalRandom.current().nextInt(0x10000)).toUpperCase(Locale.ROOT);
        String schema = "bench_" + run.toLowerCase(Locale.ROOT);
        Volume volume = scenario.volume();
        int total = volume.total();
        Receipts receipts = new Receipts(total, volume.warmUp());
        try (SourceEndpoint source = scenario.endpoints().source(brokers, run, scenario.keys(), volume.payloads());
             SinkEndpoint sink = scenario.endpoints().sink(brokers, run)) {
            source.create();
            sink.create(receipts);
            Receipts hop = brokerHop(scenario, source, total);
            if (scenario.load() == Scenario.Load.PRELOAD) {
                for (long i = 0; i < total; i++) {
                    source.publish(i);
                }
                source.flush();
            }
            try (VariantProcess process = launch(variant, scenario, source, sink, run, schema)) {
                process.awaitReady(READY_TIMEOUT);
                RunResult result = measure(scenario, variant, round, rate, total, source, receipts, hop, process);
                if (scenario.load() != Scenario.Load.PRELOAD) {
                    Files.writeString(results.resolve("logs").resolve(run + "-latency.tsv"), receipts.timeline());
                }
                if (hop != null) {
                    Files.writeString(results.resolve("logs").resolve(run + "-broker-hop.tsv"), hop.timeline());
                }
                return result;
            } finally {
                if (runsDaemon(variant)) {
                    try {
                        Postgres.dropSchema(schema);
                    } catch (SQLException e) {
                        System.err.println("bench: could not drop schema " + schema + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * For a fixed-rate run, what a plain subscriber on the source receives ({@link SourceEndpoint#observe}):
     * the broker's own hop at that rate, measured alongside the variant. Null for other runs and for
     * sources without such a subscription.
     */
    private static Receipts brokerHop(Scenario scenario, SourceEndpoint source, int total) throws Exception {
        if (scenario.load() != Scenario.Load.HALF_BASELINE_RATE) {
            return null;
        }
        Receipts hop = new Receipts(total, scenario.volume().warmUp());
        return source.observe(hop) ? hop : null;
    }

    private RunResult measure(Scenario scenario, Scenario.Variant variant, int round, Double rate, int total, SourceEndpoint source,
                              Receipts receipts, Receipts hop, VariantProcess process) throws Exception {
        AtomicBoolean produced = new AtomicBoolean(scenario.load() == Scenario.Load.PRELOAD);
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = null;
        if (scenario.load() != Scenario.Load.PRELOAD) {
            producer = Thread.ofPlatform().name("bench-producer").start(() -> {
                try {
                    produce(source, total, rate, scenario.load() == Scenario.Load.CLOSED_LOOP ? receipts : null);
                } catch (Throwable e) {
                    producerFailure.set(e);
                } finally {
                    produced.set(true);
                }
            });
        }
        Sample start = null;
        double rssMiddle = -1;
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        for (long tick = 0; ; tick++) {
            Thread.sleep(20);
            int count = receipts.unique();
            long now = System.nanoTime();
            if (tick % COMPILER_LOOK_EVERY == 0) {
                process.lookAtCompilerThreads();
            }
            if (start == null && receipts.warm()) {
                start = Sample.of(process, receipts);
            }
            if (rssMiddle < 0 && count >= scenario.volume().warmUp() + scenario.volume().records() / 2) {
                rssMiddle = process.rssMiB();
            }
            if (count >= total) {
                break;
            }
            if (count != lastCount) {
                lastCount = count;
                lastProgress = now;
            }
            if (producerFailure.get() != null) {
                throw new IllegalStateException("producer failed: " + producerFailure.get(), producerFailure.get());
            }
            if (produced.get() && !source.holdsRecords() && count > 0 && now - lastProgress > QUIET_AFTER_PRODUCER.toNanos()) {
                break;
            }
            if (now - lastProgress > STALL_TIMEOUT.toNanos()) {
                throw new IllegalStateException(variant + " made no progress for " + STALL_TIMEOUT + " at " + count + " records");
            }
            if (!process.alive()) {
                throw new IllegalStateException(variant + " exited during the run at " + count + " records");
            }
        }
        if (start == null) {
            throw new IllegalStateException(variant + " delivered " + receipts.unique() + " records and none after the warm-up");
        }
        Sample end = Sample.of(process, receipts);
        if (producer != null) {
            producer.join();
        }
        long records = receipts.unique();
        double seconds = receipts.measuredSeconds();
        double perSecond = receipts.ratePerSecond();
        double window = (end.nanos - start.nanos) / 1e9;
        Double commits = runsDaemon(variant) && start.commits >= 0 && end.commits >= 0
                ? (end.commits - start.commits) / window : null;
        double xacts = start.xacts >= 0 && end.xacts >= 0 ? (end.xacts - start.xacts) / window : -1;
        long measured = records - start.received;
        Map<String, Double> byGroup = new LinkedHashMap<>();
        end.machine.byGroupSince(start.machine).forEach((group, used) -> byGroup.put(group, used / measured * 1e6));
        return new RunResult(scenario.name(), variant, round, records, receipts.duplicates(), receipts.distinctKeys(), total - records,
                seconds, perSecond, perSecond * scenario.volume().payloads().size() / 1e6,
                scenario.load() == Scenario.Load.PRELOAD ? null : receipts.latency(), hop == null ? null : hop.latency(),
                process.peakRssMiB(), start.rssMiB, rssMiddle < 0 ? end.rssMiB : rssMiddle, end.rssMiB,
                (end.cpuSeconds - start.cpuSeconds) / measured * 1e6, (end.jitSeconds - start.jitSeconds) / measured * 1e6,
                (end.machine.busySeconds() - start.machine.busySeconds()) / measured * 1e6, end.machine.idleShareSince(start.machine),
                byGroup, commits, xacts);
    }

    /**
     * Publishes {@code records} records: at {@code rate} per second on a fixed schedule, or with
     * {@code loop} as fast as the end consumer receives them (at most {@link #LOOP_WINDOW} ahead of it).
     * The schedule is kept on a 1 ms tick: each wake-up publishes every record due by then (at 16,000/s,
     * 16 of them), each stamped when it is sent. Sleeping until each record's own due time instead woke
     * the producer, and with it the client's writer and the broker, once or twice per record: on these
     * two shared cores that per-record wake-up cost more than the records did, and neither variant kept
     * up with half of what it drains. A full window is waited out on the same tick.
     */
    private static void produce(SourceEndpoint source, int records, Double rate, Receipts loop) throws Exception {
        long begin = System.nanoTime();
        long given = 0;
        for (long i = 0; i < records; i++) {
            if (rate != null) {
                long due = begin + (long) (i * 1e9 / rate);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.max(wait, PRODUCER_TICK_NANOS));
                }
            }
            if (loop != null && i - loop.unique() - given >= LOOP_WINDOW) {
                given += awaitRoom(loop, i - given);
            }
            source.publish(i);
        }
        source.flush();
    }

    /**
     * Waits until the end consumer has received more than {@code published - LOOP_WINDOW} records.
     * Returns 0, or the window's worth of records given up as lost when nothing arrived for
     * {@link #LOOP_GIVE_UP}.
     */
    private static long awaitRoom(Receipts loop, long published) {
        int last = loop.unique();
        long lastProgress = System.nanoTime();
        while (published - loop.unique() >= LOOP_WINDOW) {
            LockSupport.parkNanos(PRODUCER_TICK_NANOS);
            int now = loop.unique();
            if (now != last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > LOOP_GIVE_UP.toNanos()) {
                return published - now;
            }
        }
        return 0;
    }

    private VariantProcess launch(Scenario.Variant variant, Scenario scenario, SourceEndpoint source, SinkEndpoint sink,
                                  String run, String schema) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path logs = results.resolve("logs");
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>();
        command.add(java);
        String shipped = System.getProperty("bench.jvm.options");
        if (shipped != null) {
            command.add("@" + shipped);
        }
        if (!runsDaemon(variant)) {
            command.add(BASELINE_LOGGING);
            command.addAll(jvmOptions("bench.baseline.jvm", run));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineMain.class.getName(),
                    "--from", source.baselineSpec(), "--to", sink.baselineSpec(),
                    "--payload-bytes", Integer.toString(scenario.volume().payloads().size())));
            String window = System.getProperty("bench.baseline.max.in.flight");
            if (window != null) {
                command.addAll(List.of("--max-in-flight", window));
            }
            return VariantProcess.start(command, brokers.environment(), logs.resolve(run + "-baseline.log"), null);
        }
        int port = Ports.free();
        Path yaml = logs.resolve(run + ".yaml");
        Files.writeString(yaml, """
                # %s, round run %s: the bridge variant.
                offsets:
                  postgres: { url: "%s", user: %s, schema: %s }
                http: { listen: "127.0.0.1:%d" }
                connections:
                %spipelines:
                  - name: bench
                    from: %s
                    to: %s
                %s""".formatted(scenario.name(), run, Postgres.URL, Postgres.USER, schema, port, brokers.yamlConnections(),
                source.yamlFrom(), sink.yamlTo(), pipelineSettings(scenario.keys().pipelineKey(source.yamlKey()))));
        boolean before = variant == Scenario.Variant.BASELINE;
        command.addAll(jvmOptions(before ? "bench.baseline.jvm" : "bench.bridge.jvm", run));
        command.addAll(List.of("-cp", before ? BEFORE_CLASSPATH : System.getProperty("bench.daemon.classpath"),
                "io.msgbridge.daemon.Main", "run", yaml.toString()));
        return VariantProcess.start(command, brokers.environment(), logs.resolve(run + (before ? "-before.log" : "-bridge.log")), port);
    }

    /** Whether the variant runs the bridge daemon: the bridge, and the baseline too in a before/after run. */
    private static boolean runsDaemon(Scenario.Variant variant) {
        return variant == Scenario.Variant.BRIDGE || BEFORE_CLASSPATH != null;
    }

    /**
     * The bench pipeline's settings after {@code from} and {@code to}: {@code key:} (the source's, unless
     * {@code bench.pipeline} sets one) and the extra settings of {@code bench.pipeline} (e.g. "lanes: 32"),
     * each line indented under the pipeline.
     */
    private static String pipelineSettings(String key) {
        List<String> lines = new ArrayList<>(System.getProperty("bench.pipeline", "").strip().lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList());
        if (lines.stream().noneMatch(line -> line.startsWith("key:"))) {
            lines.addFirst("key: " + key);
        }
        return lines.stream().map(line -> "    " + line + "\n").reduce("", String::concat);
    }

    private List<String> jvmOptions(String property, String run) {
        String options = System.getProperty(property, "").replace("{run}", run).trim();
        return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
    }

    /**
     * The first letter of each word of a scenario's name, and numbers whole: jetstream-to-pulsar-keys-10 is
     * jtpk10, jetstream-to-pulsar-512k jtp512.
     */
    private static String abbreviation(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            String number = part.replaceFirst("^([0-9]*).*", "$1");
            out.append(number.isEmpty() ? part.substring(0, 1) : number);
        }
        return out.toString();
    }

    /** The process's counters at one moment. */
    private record Sample(long nanos, int received, double cpuSeconds, double jitSeconds, double rssMiB, long commits, long xacts,
                          MachineCpu machine) {
        static Sample of(VariantProcess process, Receipts receipts) throws IOException {
            return new Sample(System.nanoTime(), receipts.unique(), process.cpuSeconds(), process.compilerCpuSeconds(), process.rssMiB(),
                    process.commits(), Postgres.transactionsCommitted(), MachineCpu.now(process.pid()));
        }
    }
}

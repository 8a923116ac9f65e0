package io.msgbridge.metrics;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of every metric the bridge exports, with its Prometheus name, type, labels and help text.
 *
 * <p>Dropwizard has no labels, so each series is registered under a dotted name that carries its label
 * values: {@code BASE.PIPELINE[.EXTRA...]}, e.g. {@code bridge_records_failed.orders.sink.true}. At
 * scrape time {@link #mapperConfig()} turns it back into {@code bridge_records_failed_total{pipeline="orders",
 * stage="sink",retriable="true"}}. A pipeline name therefore must not contain a dot.
 */
public enum MetricNames {
    RECORDS_IN("bridge_records_in", Type.COUNTER, "Records handed out by the source."),
    BYTES_IN("bridge_bytes_in", Type.COUNTER, "Payload bytes handed out by the source."),
    RECORDS_OUT("bridge_records_out", Type.COUNTER, "Records confirmed by the sink (delivered)."),
    RECORDS_FAILED("bridge_records_failed", Type.COUNTER,
            "Failed attempts to handle a record, by stage (source, key, sink) and whether the"
                    + " failure was retriable.", "stage", "retriable"),
    SINK_DUPLICATES_DROPPED("bridge_sink_duplicates_dropped", Type.COUNTER,
            "Records the sink's broker dropped as duplicates of records it had stored (broker deduplication, e.g."
                    + " a replay after a crash); each also counts as delivered."),
    RECORDS_DEAD_LETTERED("bridge_records_dead_lettered", Type.COUNTER,
            "Records confirmed by the dead-letter route."),
    IN_FLIGHT_RECORDS("bridge_in_flight_records", Type.GAUGE, "Records between the source and done now."),
    IN_FLIGHT_BYTES("bridge_in_flight_bytes", Type.GAUGE, "Payload bytes between the source and done now."),
    COMMITS("bridge_commits", Type.COUNTER, "Successful commits of the pipeline's watermarks."),
    COMMIT_FAILURES("bridge_commit_failures", Type.COUNTER,
            "Failed commits of the pipeline's watermarks (each is tried again next interval)."),
    COMMIT_LATENCY("bridge_commit_latency_seconds", Type.TIMER,
            "Time a successful commit of the pipeline's watermarks took."),
    END_TO_END_LATENCY("bridge_end_to_end_latency_seconds", Type.TIMER,
            "Time from a record's event time (or receipt) to its confirmation by the sink, over the last minute or two."),
    SOURCE_LAG("bridge_source_lag", Type.GAUGE,
            "Records waiting at the source broker, as the source reports it; -1 when unknown."),
    PARKED_KEYS("bridge_parked_keys", Type.GAUGE,
            "Keys parked after a poison record (on-poison: park-key), waiting for 'bridge keys release|skip'."),
    PARKED_RECORDS("bridge_parked_records", Type.GAUGE, "Records held behind parked keys."),
    MEMORY_BUDGET("bridge_memory_budget_bytes", Type.GAUGE,
            "The daemon's memory budget for records in flight (memory:), shared by all pipelines."),
    MEMORY_BUDGET_USED("bridge_memory_budget_used_bytes", Type.GAUGE,
            "What records in flight take of the memory budget now, over all pipelines (bridge_in_flight_bytes is "
                    + "the pipeline's part)."),
    STALLED("bridge_stalled", Type.GAUGE,
            "1 while the pipeline is stalled: a record has waited stall-timeout without being done, or the source "
                    + "reports a backlog but has handed out nothing for that long; else 0."),
    READY("bridge_ready", Type.GAUGE,
            "1 while the pipeline is ready as /health/ready counts it (running, source and sinks connected, commits "
                    + "succeeding, nothing held or parked, not stalled); else 0.");

    /** The label every bridge metric carries. */
    public static final String PIPELINE_LABEL = "pipeline";

    /** How a metric is kept in dropwizard and shown to Prometheus. */
    public enum Type {
        /** A dropwizard {@code Counter}, exported as a Prometheus counter ({@code _total}). */
        COUNTER,
        /** A dropwizard {@code Gauge} of a long, exported as a Prometheus gauge. */
        GAUGE,
        /** A dropwizard {@code Timer}, exported as a Prometheus summary in seconds (quantiles and {@code _count}). */
        TIMER
    }

    private final String baseName;
    private final Type type;
    private final String help;
    private final List<String> extraLabels;

    MetricNames(String baseName, Type type, String help, String... extraLabels) {
        this.baseName = baseName;
        this.type = type;
        this.help = help;
        this.extraLabels = List.of(extraLabels);
    }

    /** The metric family name as Prometheus stores it, without the {@code _total} a counter gets in text. */
    public String baseName() {
        return baseName;
    }

    /** The name as it appears in the Prometheus text format, e.g. {@code bridge_records_in_total}. */
    public String exposedName() {
        return type == Type.COUNTER ? baseName + "_total" : baseName;
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    /** All label names, {@value #PIPELINE_LABEL} first. */
    public List<String> labels() {
        List<String> all = new ArrayList<>();
        all.add(PIPELINE_LABEL);
        all.addAll(extraLabels);
        return List.copyOf(all);
    }

    /**
     * The dropwizard registry name of one series.
     *
     * @param pipeline    the pipeline; must not be empty or contain a dot
     * @param extraValues values of the labels after {@code pipeline}, in {@link #labels()} order
     * @throws IllegalArgumentException if a value is empty or contains a dot, or the count is wrong
     */
    public String dropwizardName(String pipeline, String... extraValues) {
        if (extraValues.length != extraLabels.size()) {
            throw new IllegalArgumentException(baseName + ": expected label values for " + extraLabels
                    + " but got " + Arrays.toString(extraValues));
        }
        StringBuilder name = new StringBuilder(baseName).append('.').append(checkSegment(pipeline));
        for (String value : extraValues) {
            name.append('.').append(checkSegment(value));
        }
        return name.toString();
    }

    /** The rule that maps this metric's dropwizard names back to a labelled Prometheus series. */
    public MapperConfig mapperConfig() {
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> names = labels();
        for (int i = 0; i < names.size(); i++) {
            labels.put(names.get(i), "${" + i + "}");
        }
        return new MapperConfig(baseName + ".*".repeat(names.size()), baseName, labels);
    }

    /** The pipeline a dropwizard registry name belongs to, if it is a series of this catalogue. */
    public static Optional<String> pipelineOf(String dropwizardName) {
        String[] parts = dropwizardName.split("\\.", -1);
        for (MetricNames metric : values()) {
            if (metric.baseName.equals(parts[0]) && parts.length == 1 + metric.labels().size()) {
                return Optional.of(parts[1]);
            }
        }
        return Optional.empty();
    }

    /** The catalogue entry whose Prometheus family name is {@code baseName}, if any. */
    public static Optional<MetricNames> byBaseName(String baseName) {
        return Arrays.stream(values()).filter(m -> m.baseName.equals(baseName)).findFirst();
    }

    /**
     * Checks that {@code value} can be a pipeline name or label value: not empty and without a dot.
     *
     * @throws IllegalArgumentException naming the value and the rule
     */
    public static String checkSegment(String value) {
        if (value == null || value.isEmpty() || value.indexOf('.') >= 0) {
            throw new IllegalArgumentException("invalid metric label value \"" + value
                    + "\": must be non-empty and contain no '.'");
        }
        return value;
    }
}

package io.msgbridge.config;

import io.msgbridge.backend.DurationText;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.SourceContext;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the items of {@code pipelines:}, one {@link PipelineConfig} each; checks that names are unique. */
final class PipelineReader {
    /**
     * One lane per processor (at least two). A lane is a thread doing CPU work only (its publishes are
     * asynchronous), and how many records are at the sink at once comes from the number of active keys,
     * not lanes; more lanes than processors only spread the same events thinner, so each lane wakes for
     * fewer of them at a time: more lanes cost more CPU per record (docs/benchmark-history.md).
     */
    static final int DEFAULT_LANES = Math.max(2, Runtime.getRuntime().availableProcessors());
    /**
     * Enough to keep 1,000 keys busy at the sink, few enough that a record is still in the processor's
     * caches when its turn comes: with 10,000 both the bridge and a plain client loop spent more CPU per
     * record, and the bridge more memory, for no more throughput (docs/benchmark-history.md).
     */
    static final int DEFAULT_MAX_RECORDS = 2_000;
    static final long DEFAULT_MAX_BYTES = 32L << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final String NAME_RULE =
            "must be 1 to 100 letters, digits, '_' or '-', starting with a letter or digit";
    private static final String RANGE_RULE = "must be a range MIN..MAX of durations such as 200ms..30s";
    private static final Duration MIN_BACKOFF = Duration.ofMillis(1);

    private final Connections connections;
    private final OffsetsConfig offsets;
    private final Duration defaultCommitInterval;
    private final Map<String, String> names = new HashMap<>();
    private final Problems problems;
    private final Lint lint;

    PipelineReader(Connections connections, OffsetsConfig offsets, Problems problems, Duration shutdownTimeout) {
        this.connections = connections;
        this.offsets = offsets;
        this.defaultCommitInterval = offsets.commitInterval();
        this.problems = problems;
        this.lint = new Lint(shutdownTimeout, offsets);
    }

    private record Backoff(Duration min, Duration max) {
    }

    /** Reads one pipeline; one without problems is also linted ({@link Lint}). */
    PipelineConfig read(MappingNode node) {
        int before = problems.count();
        PipelineConfig pipeline = pipeline(node);
        if (problems.count() == before && pipeline.source() != null && pipeline.sink() != null) {
            lint.check(node, pipeline);
        }
        return pipeline;
    }

    private PipelineConfig pipeline(MappingNode node) {
        String name = node.required("name", text -> name(text, node.path())).orElse("");
        Connector.SourceSpec source = section(node, "from", "the source").flatMap(connections::source).orElse(null);
        Connector.SinkSpec sink = section(node, "to", "the sink").flatMap(connections::sink).orElse(null);
        Optional<Connector.SinkSpec> deadLetter = node.mapping("dead-letter").flatMap(this::deadLetter);
        KeySpec key = node.value("key", KeySpecs::parse).orElse(new KeySpec.Native());
        int lanes = node.integer("lanes", DEFAULT_LANES, 1, 4096);
        Optional<MappingNode> maxInFlight = node.mapping("max-in-flight");
        int maxRecords = maxInFlight.map(m -> m.integer("records", DEFAULT_MAX_RECORDS, 1, 10_000_000))
                .orElse(DEFAULT_MAX_RECORDS);
        long maxBytes = maxInFlight.map(m -> m.size("bytes", DEFAULT_MAX_BYTES, 1024)).orElse(DEFAULT_MAX_BYTES);
        RetryConfig retry = node.mapping("retry").map(PipelineReader::retry).orElse(RetryConfig.DEFAULT);
        SourceContext.Resume resume = node.choice("resume", SourceContext.Resume.class, SourceContext.Resume.STORE);
        PipelineConfig.OnPoison onPoison =
                node.choice("on-poison", PipelineConfig.OnPoison.class, PipelineConfig.OnPoison.DEAD_LETTER);
        if (onPoison == PipelineConfig.OnPoison.PARK_KEY && source != null && source.sharesPartitions()) {
            node.problem("on-poison", "park-key holds a key's later records in the daemon that parked it, but this source's "
                    + "partitions are shared by several daemons (mode: group), so the key's next records may go to "
                    + "another one: use on-poison: dead-letter, or a source mode in which one daemon reads every partition");
        }
        Duration commitInterval =
                node.duration("commit-interval", defaultCommitInterval, OffsetsReader.MIN_COMMIT_INTERVAL);
        Duration stallTimeout = node.duration("stall-timeout", PipelineConfig.DEFAULT_STALL_TIMEOUT, Duration.ofSeconds(1));
        return new PipelineConfig(name, source, sink, deadLetter, key, lanes, maxRecords, maxBytes, retry, resume,
                onPoison, commitInterval, stallTimeout);
    }

    /**
     * A {@code dead-letter:} section: either any backend's sink keys with {@code connection:}, or
     * {@code postgres: { table: NAME }}, a table in the offset store's PostgreSQL (which must then be
     * {@code offsets.postgres}).
     */
    private Optional<Connector.SinkSpec> deadLetter(MappingNode section) {
        if (!section.has("postgres")) {
            return connections.sink(section);
        }
        if (section.has("connection")) {
            section.problem("either connection: (a backend's sink) or postgres: (a table) is allowed, not both");
            section.ignoreUnknownKeys();
            return Optional.empty();
        }
        Optional<MappingNode> postgres = section.mapping("postgres");
        if (postgres.isEmpty()) {
            return Optional.empty();
        }
        String table = postgres.get().required("table", PipelineReader::tableName).orElse(null);
        if (!(offsets instanceof OffsetsConfig.Postgres database)) {
            section.problem("postgres", "a dead-letter table lives in the offset store's PostgreSQL: "
                    + "configure offsets.postgres, or use a backend's sink (connection: ...) instead");
            return Optional.empty();
        }
        return table == null ? Optional.empty()
                : Optional.of(DeadLetterTables.find().route(database, table));
    }

    private static Parsed<String> tableName(String text) {
        return PostgresNames.problem(text).<Parsed<String>>map(Parsed::invalid).orElse(Parsed.ok(text));
    }

    private static Optional<MappingNode> section(MappingNode pipeline, String key, String what) {
        Optional<MappingNode> section = pipeline.mapping(key);
        if (!pipeline.has(key)) {
            pipeline.problem(key, "is required but missing: a mapping with connection: and the keys of " + what);
        }
        return section;
    }

    private Parsed<String> name(String text, String path) {
        if (!NAME.matcher(text).matches()) {
            return Parsed.invalid(NAME_RULE);
        }
        String first = names.putIfAbsent(text, path);
        return first == null ? Parsed.ok(text)
                : Parsed.rejected("duplicate pipeline name", ": already used by " + first + "; names must be unique");
    }

    private static RetryConfig retry(MappingNode retry) {
        RetryConfig def = RetryConfig.DEFAULT;
        int attempts = retry.integer("attempts", def.attempts(), 1, 1000);
        Backoff backoff = retry.value("backoff", PipelineReader::backoff)
                .orElse(new Backoff(def.minBackoff(), def.maxBackoff()));
        boolean jitter = retry.bool("jitter", def.jitter());
        return new RetryConfig(attempts, backoff.min(), backoff.max(), jitter);
    }

    private static Parsed<Backoff> backoff(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            return Parsed.invalid(RANGE_RULE);
        }
        if (!(Durations.parse(text.substring(0, dots)) instanceof Parsed.Ok<Duration>(Duration min))
                || !(Durations.parse(text.substring(dots + 2)) instanceof Parsed.Ok<Duration>(Duration max))) {
            return Parsed.invalid(RANGE_RULE);
        }
        if (min.compareTo(MIN_BACKOFF) < 0) {
            return Parsed.invalid("MIN must be at least " + DurationText.format(MIN_BACKOFF));
        }
        return min.compareTo(max) > 0 ? Parsed.invalid("MIN must not be greater than MAX")
                : Parsed.ok(new Backoff(min, max));
    }
}

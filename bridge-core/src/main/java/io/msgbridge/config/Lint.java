package io.msgbridge.config;

import io.msgbridge.backend.DurationText;
import io.msgbridge.spi.SinkTraits;
import io.msgbridge.spi.SourceTraits;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code bridge validate}'s warnings about a valid pipeline that likely does not do what its author
 * meant: each names the key to look at and what to change. Backends say what they know of a section
 * through {@link SourceTraits} and {@link SinkTraits}; nothing here names a backend.
 */
final class Lint {
    private final Duration shutdownTimeout;
    private final OffsetsConfig offsets;

    Lint(Duration shutdownTimeout, OffsetsConfig offsets) {
        this.shutdownTimeout = shutdownTimeout;
        this.offsets = offsets;
    }

    /** Checks one pipeline that was read without problems; warnings go to {@code node}. */
    void check(MappingNode node, PipelineConfig pipeline) {
        SourceTraits source = pipeline.source().traits();
        SinkTraits sink = pipeline.sink().traits();
        boolean ordered = !(pipeline.key() instanceof KeySpec.None);
        sameKeyForEveryRecord(node, pipeline.key(), source);
        sink.dedupOption().ifPresent(option -> deduplication(node, pipeline, source, option));
        sink.duplicateWindow().ifPresent(window -> duplicateWindow(node, pipeline, window));
        deadLetterOnTheSink(node, pipeline);
        source.sharing().filter(sharing -> ordered && !(sharing.perNativeKey() && pipeline.key() instanceof KeySpec.Native))
                .ifPresent(sharing -> node.warning("from." + sharing.option(), sharing.option()
                        + " shares the records with other consumers, so records of one key: " + pipeline.key().text()
                        + " can be handled by two daemons at once and reach the sink out of order; remove "
                        + sharing.option() + " (one daemon runs a pipeline; the offset store hands it over), or set "
                        + "key: none if order does not matter"));
    }

    /** A sink asked to deduplicate by the source's sequence (effectively-once), from a source that cannot give one. */
    private static void deduplication(MappingNode node, PipelineConfig pipeline, SourceTraits source, String option) {
        if (source.atMostOnce()) {
            node.warning("from", "this source is at-most-once (what arrives while the daemon is down is lost, and it "
                    + "has no positions to replay from), so " + option + " on the sink cannot make this route "
                    + "effectively-once; read from a source that replays (a JetStream stream that captures these "
                    + "subjects), or remove " + option);
        } else if (!source.sequenced()) {
            node.warning("to." + option, option + " deduplicates by the source's sequence, and the records of "
                    + pipeline.source().describe() + " have none: they go through the ordinary producer, "
                    + "at-least-once; remove " + option + ", or read from a source with sequences "
                    + "(JetStream, Pulsar, Kafka, RocketMQ)");
        }
    }

    private static void sameKeyForEveryRecord(MappingNode node, KeySpec key, SourceTraits source) {
        String why = switch (key) {
            case KeySpec.Native n when !source.nativeKeys() -> "this source's messages carry no key";
            case KeySpec.Topic t when !source.manyTopics() -> "this source reads one topic or subject";
            default -> null;
        };
        if (why != null) {
            node.warning("key", "key: " + node.string("key").orElse(key.text()) + " is the same for every record, since " + why
                    + ": each record waits for the one before it, on one lane; to order per entity, take the key "
                    + "from the message (key: json:/FIELD or key: header:NAME), or set key: none if order does not "
                    + "matter");
        }
    }

    /**
     * A replay comes at most shutdown-timeout (a drain cut short) plus the lease (a crashed owner's
     * claim expiring before another daemon takes over) after the first copy.
     */
    private void duplicateWindow(MappingNode node, PipelineConfig pipeline, SinkTraits.Window window) {
        Duration lease = offsets instanceof OffsetsConfig.Postgres ? offsets.leaseTtl()
                : Duration.ZERO;
        Duration needed = shutdownTimeout.plus(lease);
        if (window.length().compareTo(needed) < 0) {
            String bound = "shutdown-timeout (" + DurationText.format(shutdownTimeout) + ")"
                    + (lease.isZero() ? "" : " plus the offset store's lease (" + DurationText.format(lease) + ")");
            node.warning("to." + window.option(), "the duplicate window (" + DurationText.format(window.length())
                    + ") is shorter than " + bound + ": a replay after a crash or a cut-short drain can come later "
                    + "than that and be stored twice; set it to at least " + DurationText.format(needed));
        }
    }

    /**
     * The same connection and the same destination. A spec describes itself as {@code backend:destination},
     * sometimes followed by how it writes there (" (partition: source)", " (dedup)", " (tag T)"): how it
     * writes does not keep dead letters apart from the records, so only the destination is compared.
     */
    private static void deadLetterOnTheSink(MappingNode node, PipelineConfig pipeline) {
        Optional<String> sinkConnection = node.mapping("to").flatMap(to -> to.string("connection"));
        Optional<String> deadLetterConnection = node.mapping("dead-letter").flatMap(to -> to.string("connection"));
        if (sinkConnection.isPresent() && sinkConnection.equals(deadLetterConnection)
                && pipeline.deadLetter().map(d -> destination(d.describe()).equals(destination(pipeline.sink().describe())))
                        .orElse(false)) {
            node.warning("dead-letter", "the dead-letter route writes where the sink writes, so dead letters are "
                    + "mixed with the records the sink delivers and consumers get them as ordinary messages; "
                    + "give dead-letter a subject or topic of its own (e.g. dlq.PIPELINE)");
        }
    }

    private static String destination(String description) {
        int details = description.indexOf(" (");
        return details < 0 ? description : description.substring(0, details);
    }
}

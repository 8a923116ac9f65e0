package io.msgbridge.verify;

import io.msgbridge.config.KeySpec;
import io.msgbridge.config.PipelineConfig;
import io.msgbridge.deadletter.DeadLetterFilter;
import io.msgbridge.deadletter.DeadLetterListing;
import io.msgbridge.readback.ReadToEnd;
import io.msgbridge.runtime.KeyExtractor;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares what a pipeline's source holds up to its committed positions with what its sink holds, per
 * key ({@code bridge verify}). Both sides are read without consuming them ({@link Connector.SourceSpec#reader()},
 * {@link Connector.SinkSpec#reader()}); the source's records are keyed by the pipeline's {@code key:}, the
 * sink's by the key the sink wrote (the pipeline's key, see {@link io.msgbridge.spi.OutboundRecord#key()}).
 * Source records the pipeline dead-lettered are not expected at the sink.
 */
public final class Verification {
    /** The key of records that have none; they are compared without order. */
    public static final String NO_KEY = "(no key)";
    /** The key of source records whose key cannot be computed (they fail at the KEY stage). */
    public static final String KEY_FAILED = "(key cannot be computed)";

    private final PipelineConfig pipeline;
    private final Map<String, Position> committed;
    private final Optional<Instant> since;
    private final KeyExtractor keys;
    private final List<String> partitionNames = new ArrayList<>();
    private final Map<String, Integer> partitionIndexes = new HashMap<>();

    private Verification(PipelineConfig pipeline, Map<String, Position> committed, Optional<Instant> since) {
        this.pipeline = pipeline;
        this.committed = committed;
        this.since = since;
        this.keys = KeyExtractor.of(pipeline.key());
    }

    /**
     * Why the pipeline's records cannot be compared by content, or empty when they can: a side whose
     * backend cannot be read without consuming it (NATS core, NSQ, and what has no reader yet).
     */
    public static Optional<String> unreadable(PipelineConfig pipeline) {
        List<String> sides = new ArrayList<>();
        if (pipeline.source().reader().isEmpty()) {
            sides.add("the source " + pipeline.source().describe());
        }
        if (pipeline.sink().reader().isEmpty()) {
            sides.add("the sink " + pipeline.sink().describe());
        }
        return sides.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", sides)
                + (sides.size() == 1 ? " cannot" : " can not") + " be read back without consuming");
    }

    /**
     * Reads both sides to their ends as of now and compares them.
     *
     * @param committed the pipeline's committed position per source partition (the offset store)
     * @param since     only records whose event time is at or after this instant, on both sides
     * @throws io.msgbridge.spi.BridgeException when a side cannot be read
     * @throws IllegalStateException            when a side cannot be read back (see {@link #unreadable})
     */
    public static VerifyReport run(PipelineConfig pipeline, Map<String, Position> committed, Optional<Instant> since)
            throws InterruptedException {
        unreadable(pipeline).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        return new Verification(pipeline, committed, since).compare();
    }

    private VerifyReport compare() throws InterruptedException {
        Optional<Set<String>> deadLettered = deadLetteredPositions();
        SortedMap<String, KeyRecords> source = new TreeMap<>();
        Set<Long> afterCommit = new HashSet<>();
        Set<Long> deadLetteredDigests = new HashSet<>();
        SortedMap<String, Long> afterCommitByPartition = new TreeMap<>();
        long[] sourceCount = {0};
        String name = pipeline.name() + "~verify";
        ReadToEnd.read(pipeline.source().reader().orElseThrow(), name, record -> {
            if (!selected(record.message())) {
                return;
            }
            Position at = record.position();
            long digest = KeyRecords.digestOf(record.message().payload());
            if (!committedIncludes(at)) {
                afterCommit.add(digest);
                afterCommitByPartition.merge(at.partition(), 1L, Long::sum);
            } else if (deadLettered.orElse(Set.of()).contains(at.partition() + "@" + at.offset())) {
                deadLetteredDigests.add(digest);
            } else {
                sourceCount[0]++;
                source.computeIfAbsent(sourceKey(record), k -> new KeyRecords()).add(digest, partition(at), at.sequence());
            }
        });
        SortedMap<String, KeyRecords> sink = new TreeMap<>();
        long[] sinkCount = {0};
        ReadToEnd.read(pipeline.sink().reader().orElseThrow(), name, record -> {
            if (selected(record.message())) {
                sinkCount[0]++;
                String key = record.message().key() == null ? NO_KEY : record.message().key();
                sink.computeIfAbsent(key, k -> new KeyRecords()).add(KeyRecords.digestOf(record.message().payload()),
                        partition(record.position()), record.position().sequence());
            }
        });
        KeyComparison.Elsewhere elsewhere = new KeyComparison.Elsewhere(afterCommit, deadLetteredDigests);
        List<KeyComparison.Result> results = new ArrayList<>();
        Set<String> every = new TreeSet<>(source.keySet());
        every.addAll(sink.keySet());
        for (String key : every) {
            boolean ordered = !key.equals(NO_KEY) && !key.equals(KEY_FAILED) && !(pipeline.key() instanceof KeySpec.None);
            results.add(KeyComparison.compare(key, ordered, source.getOrDefault(key, new KeyRecords()),
                    sink.getOrDefault(key, new KeyRecords()), elsewhere, partitionNames::get));
        }
        return new VerifyReport(pipeline.name(), pipeline.source().reader().orElseThrow().describe(),
                pipeline.sink().reader().orElseThrow().describe(), new TreeMap<>(committed), sourceCount[0], sinkCount[0],
                afterCommitByPartition, deadLettered.map(Set::size), results);
    }

    /** The source partition and offset of each dead letter of the pipeline; empty when there is no route to read. */
    private Optional<Set<String>> deadLetteredPositions() throws InterruptedException {
        if (pipeline.deadLetter().isEmpty() || pipeline.deadLetter().get().reader().isEmpty()) {
            return pipeline.deadLetter().isEmpty() ? Optional.of(Set.of()) : Optional.empty();
        }
        Set<String> positions = new HashSet<>();
        DeadLetterListing.list(pipeline, DeadLetterFilter.all(pipeline.name()),
                e -> positions.add(e.deadLetter().partition() + "@" + e.deadLetter().position()));
        return Optional.of(positions);
    }

    private boolean selected(Message message) {
        return since.isEmpty() || message.eventTime() == null || !message.eventTime().isBefore(since.get());
    }

    /** Whether the pipeline has committed {@code at}: its partition's committed sequence is at or after it. */
    private boolean committedIncludes(Position at) {
        Position upTo = committed.get(at.partition());
        return upTo != null && upTo.hasSequence() && at.hasSequence() && at.sequence() <= upTo.sequence();
    }

    /** The key the runtime gives the record at the sink: the pipeline's key, else the message's own. */
    private String sourceKey(SourceRecord record) {
        try {
            String key = keys.keyOf(record.message());
            key = key != null ? key : record.message().key();
            return key == null ? NO_KEY : key;
        } catch (PermanentException e) {
            return KEY_FAILED;
        }
    }

    private int partition(Position at) {
        return partitionIndexes.computeIfAbsent(at.partition(), p -> {
            partitionNames.add(p);
            return partitionNames.size() - 1;
        });
    }
}

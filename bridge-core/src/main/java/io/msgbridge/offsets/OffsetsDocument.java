package io.msgbridge.offsets;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.msgbridge.spi.Position;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The content of an offsets file: per pipeline its claim and its partitions. Immutable: every change
 * returns a new document, so a failed write leaves the store's state untouched.
 *
 * @param version   the file format version, {@value #VERSION}
 * @param pipelines by pipeline name, sorted
 */
record OffsetsDocument(@JsonProperty("version") int version,
                       @JsonProperty("pipelines") Map<String, PipelineEntry> pipelines) {
    static final int VERSION = 1;
    static final OffsetsDocument EMPTY = new OffsetsDocument(VERSION, Map.of());

    OffsetsDocument {
        pipelines = pipelines == null ? Map.of() : new TreeMap<>(pipelines);
    }

    /**
     * One pipeline: who claimed it last, its partitions sorted by partition, and the keys it had parked
     * at its last commit, sorted (absent from the file when none: files written before parked keys
     * were kept read as having none).
     */
    record PipelineEntry(@JsonProperty("claim") ClaimEntry claim,
                         @JsonProperty("partitions") List<PartitionEntry> partitions,
                         @JsonProperty("parked_keys") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> parkedKeys) {
        PipelineEntry {
            partitions = partitions == null ? List.of() : partitions.stream()
                    .sorted(Comparator.comparing(PartitionEntry::partition)).toList();
            parkedKeys = parkedKeys == null ? List.of() : List.copyOf(new TreeSet<>(parkedKeys));
        }
    }

    /** The last claim of a pipeline; the epoch grows with each claim. */
    record ClaimEntry(@JsonProperty("owner") String owner, @JsonProperty("epoch") long epoch) {
    }

    /**
     * One partition's committed state; {@code sequence} is absent where the source has none, and
     * {@code committed_at} is ISO-8601 text (core has no Jackson java.time module).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PartitionEntry(@JsonProperty("partition") String partition,
                          @JsonProperty("offset") String offset,
                          @JsonProperty("sequence") Long sequence,
                          @JsonProperty("records") long records,
                          @JsonProperty("committed_at") String committedAt) {

        PartitionEntry {
            required(partition, "partition");
            required(offset, "offset of partition " + partition);
            Instant.parse(required(committedAt, "committed_at of partition " + partition));
        }

        static PartitionEntry of(Position position, long records, Instant committedAt) {
            Long sequence = position.hasSequence() ? position.sequence() : null;
            return new PartitionEntry(position.partition(), position.offset(), sequence, records,
                    committedAt.toString());
        }

        StoredOffset toStored(String pipeline) {
            long seq = sequence == null ? Position.NO_SEQUENCE : sequence;
            return new StoredOffset(pipeline, new Position(partition, offset, seq), records,
                    Instant.parse(committedAt));
        }
    }

    private static String required(String value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }

    Optional<ClaimEntry> claim(String pipeline) {
        return Optional.ofNullable(pipelines.get(pipeline)).map(PipelineEntry::claim);
    }

    List<StoredOffset> offsets(String pipeline) {
        PipelineEntry entry = pipelines.get(pipeline);
        return entry == null ? List.of() : entry.partitions().stream().map(p -> p.toStored(pipeline)).toList();
    }

    SortedSet<String> parkedKeys(String pipeline) {
        PipelineEntry entry = pipelines.get(pipeline);
        return entry == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(entry.parkedKeys()));
    }

    List<StoredOffset> allOffsets() {
        return pipelines.keySet().stream().flatMap(p -> offsets(p).stream()).toList();
    }

    OffsetsDocument withClaim(String pipeline, ClaimEntry claim) {
        PipelineEntry old = entry(pipeline);
        return with(pipeline, new PipelineEntry(claim, old.partitions(), old.parkedKeys()));
    }

    /** Adds the commits to the pipeline's partitions: new positions, record counts summed. */
    OffsetsDocument withCommits(String pipeline, Collection<OffsetCommit> commits, Instant now) {
        PipelineEntry old = entry(pipeline);
        Map<String, PartitionEntry> partitions = byPartition(old);
        for (OffsetCommit commit : commits) {
            PartitionEntry previous = partitions.get(commit.position().partition());
            long records = (previous == null ? 0 : previous.records()) + commit.recordsAdded();
            partitions.put(commit.position().partition(), PartitionEntry.of(commit.position(), records, now));
        }
        return with(pipeline, new PipelineEntry(old.claim(), new ArrayList<>(partitions.values()), old.parkedKeys()));
    }

    /** Replaces the pipeline's parked keys. */
    OffsetsDocument withParkedKeys(String pipeline, Collection<String> keys) {
        PipelineEntry old = entry(pipeline);
        return with(pipeline, new PipelineEntry(old.claim(), old.partitions(), new ArrayList<>(keys)));
    }

    /** Sets one partition's position, keeping its record count. */
    OffsetsDocument withPosition(String pipeline, Position position, Instant now) {
        PipelineEntry old = entry(pipeline);
        Map<String, PartitionEntry> partitions = byPartition(old);
        PartitionEntry previous = partitions.get(position.partition());
        partitions.put(position.partition(), PartitionEntry.of(position, previous == null ? 0 : previous.records(), now));
        return with(pipeline, new PipelineEntry(old.claim(), new ArrayList<>(partitions.values()), old.parkedKeys()));
    }

    private PipelineEntry entry(String pipeline) {
        PipelineEntry entry = pipelines.get(pipeline);
        return entry == null ? new PipelineEntry(null, List.of(), List.of()) : entry;
    }

    private static Map<String, PartitionEntry> byPartition(PipelineEntry entry) {
        Map<String, PartitionEntry> partitions = new TreeMap<>();
        entry.partitions().forEach(p -> partitions.put(p.partition(), p));
        return partitions;
    }

    private OffsetsDocument with(String pipeline, PipelineEntry entry) {
        Map<String, PipelineEntry> copy = new TreeMap<>(pipelines);
        copy.put(pipeline, entry);
        return new OffsetsDocument(version, copy);
    }
}

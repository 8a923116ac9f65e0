package io.msgbridge.verify;

import io.msgbridge.backend.Plural;
import io.msgbridge.spi.Position;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * What {@code bridge verify} found.
 *
 * @param source       the source's reader, described
 * @param sink         the sink's reader, described
 * @param committed    the committed position per source partition
 * @param sourceCount  source records up to the committed positions, dead letters not counted
 * @param sinkCount    records at the sink
 * @param afterCommit  per source partition, records after its committed position (in flight or not yet read)
 * @param deadLetters  how many records the pipeline dead-lettered; empty when its route cannot be read
 * @param keys         one result per key found on either side, sorted by key
 */
public record VerifyReport(String pipeline, String source, String sink, SortedMap<String, Position> committed,
                           long sourceCount, long sinkCount, SortedMap<String, Long> afterCommit,
                           Optional<Integer> deadLetters, List<KeyComparison.Result> keys) {
    private static final int KEYS_NAMED = 10;

    /** The keys whose source records are not all at the sink in order. */
    public List<KeyComparison.Result> differing() {
        return keys.stream().filter(k -> !k.complete()).toList();
    }

    public long afterCommitCount() {
        return afterCommit.values().stream().mapToLong(Long::longValue).sum();
    }

    public long duplicates() {
        return keys.stream().mapToLong(KeyComparison.Result::duplicates).sum();
    }

    public long extra() {
        return keys.stream().mapToLong(KeyComparison.Result::extra).sum();
    }

    /** Every source record is committed and at the sink in order per key. */
    public boolean drained() {
        return !committed.isEmpty() && differing().isEmpty() && afterCommitCount() == 0;
    }

    /** The committed positions as {@code partition@offset}, comma-separated. */
    public String positions() {
        return committed.values().stream().map(p -> p.partition() + "@" + p.offset()).collect(Collectors.joining(", "));
    }

    /** One line: drained, or what differs, by key. */
    public String verdict() {
        if (drained()) {
            return "drained: every source record up to " + (committed.size() == 1 ? "position " : "positions ") + positions()
                    + " is at the sink in order (" + Plural.of(keys.size(), "key") + ", " + Plural.of(sourceCount, "record") + ")";
        }
        List<String> why = new ArrayList<>();
        if (committed.isEmpty()) {
            why.add("the pipeline has committed nothing yet");
        }
        List<KeyComparison.Result> differing = differing();
        if (!differing.isEmpty()) {
            why.add(Plural.of(differing.size(), "key") + (differing.size() == 1 ? " differs: " : " differ: ")
                    + differing.stream().limit(KEYS_NAMED).map(k -> "key " + k.key() + ": " + k.difference())
                    .collect(Collectors.joining("; "))
                    + (differing.size() > KEYS_NAMED ? "; and " + (differing.size() - KEYS_NAMED) + " more" : ""));
        }
        if (afterCommitCount() > 0) {
            why.add(Plural.of(afterCommitCount(), "source record") + " after the committed positions (in flight or not yet read)");
        }
        return "NOT drained: " + String.join("; ", why);
    }
}

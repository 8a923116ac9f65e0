package io.msgbridge.verify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Compares one key's records at the source with the same key's records at the sink. An at-least-once
 * route may have written a stretch of a key twice, the last copies in source order (README, "Delivery
 * guarantees"), so the sink is taken to hold the key when the source's records appear in it in order,
 * each matched to its last possible copy; the sink's other records are then told apart: earlier copies of
 * source records (duplicates), records the pipeline read after its committed positions (ahead of the
 * commit), dead letters replayed, and records not from the source at all (extra).
 */
public final class KeyComparison {
    private KeyComparison() {
    }

    /** Digests of source records that are not expected at the sink, by why not. */
    record Elsewhere(Set<Long> afterCommit, Set<Long> deadLettered) {
    }

    /**
     * One key's result.
     *
     * @param missing        source records whose payload is nowhere among the key's sink records
     * @param notInOrder     the last source record (as {@code partition@offset}) that could not be matched
     *                       in order at the sink, when all are there but not in order
     * @param firstMissing   the first missing source record, as {@code partition@offset}
     */
    public record Result(String key, boolean ordered, int source, int sink, int duplicates, int afterCommit,
                  int replayedDeadLetters, int extra, int missing, Optional<String> firstMissing,
                  Optional<String> notInOrder, String sourceChecksum, String sinkChecksum) {
        /** Every source record of the key is at the sink, in order (as the last copies). */
        public boolean complete() {
            return missing == 0 && notInOrder.isEmpty();
        }

        /** What differs, for people; empty when complete and nothing else is there. */
        public String difference() {
            StringBuilder text = new StringBuilder();
            if (missing > 0) {
                text.append(missing).append(missing == 1 ? " source record" : " source records")
                        .append(" not at the sink (first: ").append(firstMissing.orElse("?")).append(")");
            }
            notInOrder.ifPresent(at -> text.append("every record there but not in source order (from ").append(at).append(")"));
            if (extra > 0) {
                text.append(text.isEmpty() ? "" : "; ").append(extra).append(" at the sink not from the source");
            }
            return text.toString();
        }
    }

    /**
     * Compares {@code source} (in its order; without order when {@code ordered} is false: records
     * without a key, which the runtime orders by nothing that survives the sink) with {@code sink}.
     */
    static Result compare(String key, boolean ordered, KeyRecords source, KeyRecords sink, Elsewhere elsewhere,
                          IntFunction<String> partitionName) {
        int[] s = order(source, ordered);
        int[] t = order(sink, ordered);
        boolean[] matched = new boolean[t.length];
        int i = s.length - 1;
        for (int j = t.length - 1; i >= 0 && j >= 0; j--) {
            if (source.digest(s[i]) == sink.digest(t[j])) {
                matched[j] = true;
                i--;
            }
        }
        Set<Long> atSink = new HashSet<>();
        IntStream.of(t).forEach(j -> atSink.add(sink.digest(j)));
        Set<Long> atSource = new HashSet<>();
        int missing = 0;
        Optional<String> firstMissing = Optional.empty();
        for (int index : s) {
            atSource.add(source.digest(index));
            if (!atSink.contains(source.digest(index))) {
                missing++;
                firstMissing = firstMissing.or(() -> Optional.of(where(source, index, partitionName)));
            }
        }
        Optional<String> notInOrder = i >= 0 && missing == 0 ? Optional.of(where(source, s[i], partitionName)) : Optional.empty();
        int duplicates = 0;
        int afterCommit = 0;
        int replayed = 0;
        int extra = 0;
        for (int j = 0; j < t.length; j++) {
            long digest = sink.digest(t[j]);
            if (matched[j]) {
                continue;
            }
            if (atSource.contains(digest)) {
                duplicates++;
            } else if (elsewhere.afterCommit().contains(digest)) {
                afterCommit++;
            } else if (elsewhere.deadLettered().contains(digest)) {
                replayed++;
            } else {
                extra++;
            }
        }
        int[] compared = i < 0 ? IntStream.range(0, t.length).filter(j -> matched[j]).map(j -> t[j]).toArray() : lastCopies(sink, t);
        return new Result(key, ordered, s.length, t.length, duplicates, afterCommit, replayed, extra, missing, firstMissing,
                notInOrder, source.checksum(s), sink.checksum(compared));
    }

    private static int[] order(KeyRecords records, boolean ordered) {
        if (records == null) {
            return new int[0];
        }
        Integer[] indexes = IntStream.range(0, records.size()).boxed().toArray(Integer[]::new);
        if (!ordered) {
            Arrays.sort(indexes, Comparator.comparingLong(records::digest));
        }
        return Arrays.stream(indexes).mapToInt(Integer::intValue).toArray();
    }

    /** The records of {@code order} without those whose payload comes again later. */
    private static int[] lastCopies(KeyRecords records, int[] order) {
        Set<Long> later = new HashSet<>();
        int[] kept = new int[order.length];
        int n = 0;
        for (int j = order.length - 1; j >= 0; j--) {
            if (later.add(records.digest(order[j]))) {
                kept[n++] = order[j];
            }
        }
        int[] result = new int[n];
        for (int k = 0; k < n; k++) {
            result[k] = kept[n - 1 - k];
        }
        return result;
    }

    private static String where(KeyRecords records, int index, IntFunction<String> partitionName) {
        return partitionName.apply(records.partition(index)) + "@" + records.sequence(index);
    }
}

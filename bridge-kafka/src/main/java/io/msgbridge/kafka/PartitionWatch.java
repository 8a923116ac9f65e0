package io.msgbridge.kafka;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per partition the consumer reads: where its position is, where the partition ends, and since when it
 * has not moved although records are left. The client's own lag ({@code currentLag}) is only known for a
 * partition that has had a fetch answered, so a partition that never fetches would look as if nothing
 * were waiting; this watch counts it from the end offsets instead, so that the source's lag shows it
 * and the consumer can be told to fetch it again. Consumer thread only.
 */
final class PartitionWatch {
    /** A partition with records after its position that has fetched none for {@code idle}; position -1: it had none. */
    record Stuck(TopicPartition partition, long position, long end, Duration idle) {
    }

    private record State(long position, long since) {
    }

    private final long stuckNanos;
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private final Map<TopicPartition, State> states = new HashMap<>();

    PartitionWatch(Duration stuck) {
        this.stuckNanos = stuck.toNanos();
    }

    /** The partitions' end offsets, as last listed; a partition not among them keeps its previous end. */
    void ends(Map<TopicPartition, Long> listed) {
        ends.putAll(listed);
    }

    /** Records left after {@code position} in {@code partition}, or -1 while its end is not known. */
    long behind(TopicPartition partition, long position) {
        Long end = ends.get(partition);
        return end == null || position < 0 ? -1 : Math.max(0, end - position);
    }

    /**
     * Takes the positions the consumer is at now ({@code -1} where it has none yet) and returns the
     * partitions stuck: records left after a position that has not moved for the stuck time, or no
     * position at all for that long in a partition whose end is known. A partition is only stuck while
     * the consumer fetches: {@code fetching} false (the hand-off is full and the partitions are paused)
     * restarts every partition's clock.
     */
    List<Stuck> observe(Map<TopicPartition, Long> positions, boolean fetching, long now) {
        states.keySet().retainAll(positions.keySet());
        ends.keySet().retainAll(positions.keySet());
        List<Stuck> stuck = new ArrayList<>();
        positions.forEach((partition, position) -> {
            State before = states.get(partition);
            boolean waiting = position < 0 ? ends.containsKey(partition) : behind(partition, position) > 0;
            if (before == null || !fetching || before.position() != position || !waiting) {
                states.put(partition, new State(position, now));
                return;
            }
            long idle = now - before.since();
            if (idle >= stuckNanos) {
                stuck.add(new Stuck(partition, position, ends.get(partition), Duration.ofNanos(idle)));
                states.put(partition, new State(position, now));
            }
        });
        return stuck;
    }
}

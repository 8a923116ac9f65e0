package io.msgbridge.kafka;

import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.Position;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;

/**
 * How a Kafka partition is named in positions ({@code orders-3}, as {@link TopicPartition#toString()}
 * and Kafka's tools write it) and read back from the offset store.
 */
final class Partitions {
    private Partitions() {
    }

    static String name(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    /** The partition of a position's partition text, or null when it is not {@code TOPIC-N}. */
    static TopicPartition parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return null;
        }
        try {
            return new TopicPartition(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Stored positions as the offset of the last record done per partition; a position that is not one fails the start. */
    static Map<TopicPartition, Long> stored(Map<String, Position> stored, String where) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        stored.forEach((text, position) -> {
            TopicPartition partition = parse(text);
            long offset;
            try {
                offset = Long.parseLong(position.offset());
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (partition == null || offset < 0) {
                throw new PermanentException(where + ": the stored position " + text + "@" + position.offset()
                        + " is not a Kafka partition (TOPIC-N) and offset; set it right with 'bridge offsets set'");
            }
            offsets.put(partition, offset);
        });
        return offsets;
    }
}

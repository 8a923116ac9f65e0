package io.msgbridge.spi;

import java.util.Objects;

/**
 * Where a record stands in its source.
 *
 * @param partition the unit of order in the source: a JetStream stream, a Pulsar topic partition, an
 *                  NSQ topic/channel, a NATS subject. Records of one partition are handed out in the
 *                  partition's order. Never null.
 * @param offset    the source's own token for this record, readable by operators and accepted back by
 *                  the source on resume (a JetStream stream sequence, a Pulsar MessageId, an NSQ message
 *                  id). Never null.
 * @param sequence  a number that grows with the partition's order, or {@link #NO_SEQUENCE} where the
 *                  source has none (NATS core, NSQ). Sinks that deduplicate by sequence need it.
 */
public record Position(String partition, String offset, long sequence) {
    public static final long NO_SEQUENCE = -1;

    public Position {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(offset, "offset");
    }

    public boolean hasSequence() {
        return sequence != NO_SEQUENCE;
    }

    @Override
    public String toString() {
        return partition + "@" + offset;
    }
}

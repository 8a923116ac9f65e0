package io.msgbridge.spi;

import java.util.Objects;

/**
 * A message read from a source, with its position and the source's acknowledgement hook.
 *
 * @param message  the message
 * @param position where it stands in the source
 * @param attempts how many times the broker has delivered it before, 1 on the first delivery
 *                 (NSQ {@code attempts}, JetStream {@code numDelivered}); counts toward the retry limit
 * @param ack      called once when the record is done (delivered or dead-lettered). Called from a
 *                 runtime thread, never a broker callback thread; it must not block for long.
 */
public record SourceRecord(Message message, Position position, int attempts, Ack ack) {
    public SourceRecord {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(ack, "ack");
    }

    public SourceRecord(Message message, Position position) {
        this(message, position, 1, Ack.NONE);
    }

    /** The source's acknowledgement of one done record. */
    @FunctionalInterface
    public interface Ack {
        Ack NONE = () -> { };

        /** The record was delivered or dead-lettered; the source may acknowledge it to its broker. */
        void done();
    }
}

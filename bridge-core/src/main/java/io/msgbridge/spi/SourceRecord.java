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
 * @param unreadable null for a record read as it should be; else why the source could not read it (a
 *                 header the client cannot parse, say). The message then carries what could be read
 *                 (raw headers as a header of their own, the payload as it was). The runtime never
 *                 publishes such a record to the sink: it fails at the {@link Stage#SOURCE} stage and
 *                 goes to the dead-letter route, or is held, so that it is never skipped silently.
 */
public record SourceRecord(Message message, Position position, int attempts, Ack ack, PermanentException unreadable) {
    public SourceRecord {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(ack, "ack");
    }

    public SourceRecord(Message message, Position position, int attempts, Ack ack) {
        this(message, position, attempts, ack, null);
    }

    public SourceRecord(Message message, Position position) {
        this(message, position, 1, Ack.NONE);
    }

    /** A record the source could not read as it should: it goes to the dead-letter route with {@code why}. */
    public static SourceRecord unreadable(Message raw, Position position, int attempts, Ack ack, PermanentException why) {
        return new SourceRecord(raw, position, attempts, ack, Objects.requireNonNull(why, "why"));
    }

    /** The source's acknowledgement of one done record. */
    @FunctionalInterface
    public interface Ack {
        Ack NONE = () -> { };

        /** The record was delivered or dead-lettered; the source may acknowledge it to its broker. */
        void done();
    }
}

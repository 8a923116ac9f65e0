package io.msgbridge.spi;

import java.util.Objects;

/**
 * A record on its way to a sink.
 *
 * @param message the message to publish
 * @param id      a deterministic id derived from (pipeline, source partition, source position); the
 *                same record replayed after a crash has the same id, so a deduplicating sink
 *                (JetStream {@code Nats-Msg-Id}) drops the replay
 * @param source  the record's position in its source
 */
public record OutboundRecord(Message message, String id, Position source) {
    public OutboundRecord {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
    }
}

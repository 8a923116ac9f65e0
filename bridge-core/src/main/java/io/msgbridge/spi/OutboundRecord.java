package io.msgbridge.spi;

import java.util.Objects;

/**
 * A record on its way to a sink.
 *
 * @param message the message to publish
 * @param key     the key to write where the destination broker keeps keys (Pulsar message key, the NATS
 *                key header, Kafka record key, RocketMQ keys): the key the pipeline computed from its
 *                {@code key:} setting, or the message's own key when the pipeline computes none; null
 *                for no key. May differ from {@code message.key()}, the source's own key.
 * @param id      a deterministic id derived from (pipeline, source partition, source position); the
 *                same record replayed after a crash has the same id, so a deduplicating sink
 *                (JetStream {@code Nats-Msg-Id}) drops the replay
 * @param source  the record's position in its source
 * @param resumes true for the first record the runtime publishes of its ordering key after a failure of
 *                that key (see {@link SinkOrdering}): every earlier publish of the key has its outcome.
 *                A sink that, to keep a failed record from being overtaken, fails the later records of
 *                its key after a failure (as Kafka's idempotent producer does) takes them again from
 *                this one: it is the failed record again, or the one after it when that went to the
 *                dead-letter route.
 */
public record OutboundRecord(Message message, String key, String id, Position source, boolean resumes) {
    public OutboundRecord {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
    }

    public OutboundRecord(Message message, String key, String id, Position source) {
        this(message, key, id, source, false);
    }

    /** A record whose destination key is the message's own key. */
    public OutboundRecord(Message message, String id, Position source) {
        this(message, message.key(), id, source, false);
    }
}

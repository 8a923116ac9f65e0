package io.msgbridge.pulsar;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.SinkTraits;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code to:} (or {@code dead-letter:}) section of a Pulsar connection.
 *
 * @param topic               the destination topic, fixed or per record
 * @param batching            producer batching
 * @param compression         payload compression
 * @param sendTimeout         how long the client tries to get a message confirmed before failing it and every
 *                            message queued behind it on its producer (retriable)
 * @param blockIfQueueFull    whether a publish waits for room in the producer's queue (backpressure) rather
 *                            than failing at once with a retriable "queue is full"; a deduplicating producer
 *                            never waits (see {@link ProducerCache})
 * @param maxPendingMessages  the producer's queue of unconfirmed messages, and how many records of one key
 *                            (with {@code dedup}, of one source partition) the runtime has at the sink at once
 * @param producerIdleTimeout a producer not used for this long is closed
 * @param dedup               effectively-once: stable producer names and sequence ids from source positions
 *                            (see {@link ProducerRouter})
 */
public record PulsarSinkOptions(DestinationTemplate topic, Batching batching, Compression compression, Duration sendTimeout,
                                boolean blockIfQueueFull, int maxPendingMessages, Duration producerIdleTimeout,
                                boolean dedup) implements SectionOptions {
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_PENDING = 1000;

    public PulsarSinkOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
        Objects.requireNonNull(producerIdleTimeout, "producerIdleTimeout");
    }

    /** Defaults for everything but the topic; for tests and tools. */
    public static PulsarSinkOptions of(String topic) {
        return new PulsarSinkOptions(DestinationTemplate.of(topic, PulsarTopics.NAMES), Batching.DEFAULT, Compression.NONE, DEFAULT_SEND_TIMEOUT,
                true, DEFAULT_MAX_PENDING, DEFAULT_IDLE_TIMEOUT, false);
    }

    public PulsarSinkOptions withDedup(boolean newDedup) {
        return new PulsarSinkOptions(topic, batching, compression, sendTimeout, blockIfQueueFull, maxPendingMessages,
                producerIdleTimeout, newDedup);
    }

    public PulsarSinkOptions withSendTimeout(Duration timeout) {
        return new PulsarSinkOptions(topic, batching, compression, timeout, blockIfQueueFull, maxPendingMessages,
                producerIdleTimeout, dedup);
    }

    public PulsarSinkOptions withMaxPendingMessages(int max) {
        return new PulsarSinkOptions(topic, batching, compression, sendTimeout, blockIfQueueFull, max,
                producerIdleTimeout, dedup);
    }

    public PulsarSinkOptions withProducerIdleTimeout(Duration timeout) {
        return new PulsarSinkOptions(topic, batching, compression, sendTimeout, blockIfQueueFull, maxPendingMessages,
                timeout, dedup);
    }

    public String describe() {
        return "pulsar:" + topic + (dedup ? " (dedup)" : "");
    }

    /** With {@code dedup}, replays are dropped by the source's sequence: effectively-once from a source with one. */
    @Override
    public SinkTraits sinkTraits() {
        return new SinkTraits(dedup ? Optional.of("dedup") : Optional.empty(), Optional.empty());
    }
}

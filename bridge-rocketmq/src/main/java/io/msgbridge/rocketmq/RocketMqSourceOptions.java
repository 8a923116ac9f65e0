package io.msgbridge.rocketmq;

import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code from:} section of a RocketMQ connection.
 *
 * @param topic           the topic to read, every message queue of it
 * @param tag             the tag expression ({@code *}, {@code a || b})
 * @param consumerGroup   the consumer group whose offsets the source reads and updates; empty means
 *                        {@code bridge-<pipeline>}
 * @param initialPosition where a queue starts that has neither a stored position nor a group offset
 * @param pullBatch       the most messages one pull asks a broker for
 * @param mode            {@code assign}: this daemon reads every queue; {@code group}: the queues are shared
 *                        with the other members of the consumer group
 * @param drainTimeout    {@code mode: group}: how long a queue being given up waits for its records in
 *                        flight before its offset is committed and its lock released
 */
public record RocketMqSourceOptions(String topic, String tag, Optional<String> consumerGroup, InitialPosition initialPosition,
                                    int pullBatch, Mode mode, Duration drainTimeout) implements SectionOptions {
    public static final String ALL_TAGS = "*";
    public static final int DEFAULT_PULL_BATCH = 32;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest {@code drain-timeout}: a daemon renews its queue locks between drains, and the broker lets
     * a lock lapse after 60 s without renewal.
     */
    public static final Duration MAX_DRAIN_TIMEOUT = Duration.ofSeconds(40);

    /** How the queues are shared. */
    public enum Mode {
        /** Every queue of the topic: one daemon reads them all (the offset store's claim decides which). */
        ASSIGN,
        /** The consumer group's members share the queues, each queue held by one member under a broker lock. */
        GROUP
    }

    /** Where a queue without any offset starts. */
    public enum InitialPosition { EARLIEST, LATEST }

    public RocketMqSourceOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(consumerGroup, "consumerGroup");
        Objects.requireNonNull(initialPosition, "initialPosition");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Every tag of {@code topic} from the earliest message, group {@code bridge-<pipeline>}; for tests and tools. */
    public static RocketMqSourceOptions of(String topic) {
        return new RocketMqSourceOptions(topic, ALL_TAGS, Optional.empty(), InitialPosition.EARLIEST, DEFAULT_PULL_BATCH, Mode.ASSIGN,
                DEFAULT_DRAIN_TIMEOUT);
    }

    public RocketMqSourceOptions withTag(String newTag) {
        return new RocketMqSourceOptions(topic, newTag, consumerGroup, initialPosition, pullBatch, mode, drainTimeout);
    }

    public RocketMqSourceOptions withConsumerGroup(String group) {
        return new RocketMqSourceOptions(topic, tag, Optional.of(group), initialPosition, pullBatch, mode, drainTimeout);
    }

    public RocketMqSourceOptions withInitialPosition(InitialPosition position) {
        return new RocketMqSourceOptions(topic, tag, consumerGroup, position, pullBatch, mode, drainTimeout);
    }

    public RocketMqSourceOptions withMode(Mode newMode) {
        return new RocketMqSourceOptions(topic, tag, consumerGroup, initialPosition, pullBatch, newMode, drainTimeout);
    }

    public RocketMqSourceOptions withDrainTimeout(Duration timeout) {
        return new RocketMqSourceOptions(topic, tag, consumerGroup, initialPosition, pullBatch, mode, timeout);
    }

    /** The consumer group for {@code pipeline}. */
    public String group(String pipeline) {
        return consumerGroup.orElse("bridge-" + pipeline);
    }

    /** For logs and dead-letter headers, e.g. {@code rocketmq:orders} or {@code rocketmq:orders (tags a || b)}. */
    @Override
    public String describe() {
        return "rocketmq:" + topic + (ALL_TAGS.equals(tag) ? "" : " (tags " + tag + ")");
    }

    /** A RocketMQ position is the message queue's offset. */
    @Override
    public Position position(String partition, String offset) {
        return Connector.sequencePosition(partition, offset, "a RocketMQ queue offset");
    }

    /**
     * One topic, so every record has the same topic. {@code mode: group} shares nothing a lint warns of:
     * each queue has one reader at a time, drained before its lock is released.
     */
    @Override
    public SourceTraits sourceTraits() {
        return new SourceTraits(true, false, true, false, Optional.empty());
    }

    /** {@code mode: group}: the consumer group's members share the queues. */
    @Override
    public boolean sharesPartitions() {
        return mode == Mode.GROUP;
    }
}

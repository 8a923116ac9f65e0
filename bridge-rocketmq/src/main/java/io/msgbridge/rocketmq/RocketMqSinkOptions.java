package io.msgbridge.rocketmq;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.SectionOptions;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code to:} (or {@code dead-letter:}) section of a RocketMQ connection.
 *
 * @param topic          the destination topic, fixed or per record
 * @param tag            the tag to write: fixed, {@link #SOURCE_TAG} for the source record's RocketMQ tag, or
 *                       none
 * @param sendTimeout    how long one send may wait for the broker's answer before it fails (retriable)
 * @param maxMessageSize the largest body the sink sends; a larger one is refused (permanent). Keep it at
 *                       or below the broker's {@code maxMessageSize}
 */
public record RocketMqSinkOptions(DestinationTemplate topic, Optional<String> tag, Duration sendTimeout, int maxMessageSize)
        implements SectionOptions {
    /** The tag value that copies the source record's RocketMQ tag. */
    public static final String SOURCE_TAG = "{tag}";
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 << 20;

    public RocketMqSinkOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
    }

    /** Defaults for everything but the topic; for tests and tools. */
    public static RocketMqSinkOptions of(String topic) {
        return new RocketMqSinkOptions(DestinationTemplate.of(topic, RocketMqTopics.NAMES), Optional.empty(), DEFAULT_SEND_TIMEOUT, DEFAULT_MAX_MESSAGE_SIZE);
    }

    public RocketMqSinkOptions withTag(String newTag) {
        return new RocketMqSinkOptions(topic, Optional.of(newTag), sendTimeout, maxMessageSize);
    }

    @Override
    public String describe() {
        return "rocketmq:" + topic + tag.map(t -> " (tag " + t + ")").orElse("");
    }
}

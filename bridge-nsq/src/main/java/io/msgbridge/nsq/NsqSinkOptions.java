package io.msgbridge.nsq;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.SectionOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * A checked {@code to:} or {@code dead-letter:} section.
 *
 * @param topic          where records go: fixed, or a template with {@code {topic}} / {@code {subject}}
 * @param defer          with a positive value every record is published with {@code DPUB} and delivered that much later
 * @param batch          the most records written as one {@code MPUB}; 1 sends each with {@code PUB}
 * @param maxMessageSize nsqd's {@code --max-msg-size}: larger records are refused before sending
 */
public record NsqSinkOptions(DestinationTemplate topic, Duration defer, int batch, long maxMessageSize) implements SectionOptions {
    public static final int DEFAULT_BATCH = 100;
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;
    /** nsqd's default {@code --max-body-size}; an MPUB body stays below it. */
    public static final long MAX_BODY_SIZE = 5L * 1024 * 1024;

    public NsqSinkOptions {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(defer, "defer");
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
    }

    public static NsqSinkOptions of(String topic) {
        return new NsqSinkOptions(NsqNames.template(topic), Duration.ZERO, DEFAULT_BATCH, DEFAULT_MAX_MESSAGE_SIZE);
    }

    public NsqSinkOptions withBatch(int size) {
        return new NsqSinkOptions(topic, defer, size, maxMessageSize);
    }

    public NsqSinkOptions withDefer(Duration delay) {
        return new NsqSinkOptions(topic, delay, batch, maxMessageSize);
    }

    public String describe() {
        return "nsq:" + topic;
    }
}

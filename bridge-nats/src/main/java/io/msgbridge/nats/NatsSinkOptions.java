package io.msgbridge.nats;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.SinkTraits;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code to:} or {@code dead-letter:} section.
 *
 * @param subject      where records go: fixed, or a template with {@code {subject}} / {@code {topic}} ({@link NatsSubjects})
 * @param mode         JetStream (confirmed) or core (fire and forget)
 * @param ackTimeout   how long a JetStream publish waits for its PubAck before it fails retriable
 * @param createStream a stream to create at start when it is missing
 */
public record NatsSinkOptions(DestinationTemplate subject, SinkMode mode, Duration ackTimeout, Optional<CreateStreamOptions> createStream)
        implements SectionOptions {

    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

    public NatsSinkOptions {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(createStream, "createStream");
    }

    /** A sink to {@code subject} in {@code mode}, with defaults for the rest. */
    public static NatsSinkOptions of(String subject, SinkMode mode) {
        return new NatsSinkOptions(NatsSubjects.template(subject), mode, DEFAULT_ACK_TIMEOUT, Optional.empty());
    }

    public NatsSinkOptions withCreateStream(CreateStreamOptions stream) {
        return new NatsSinkOptions(subject, mode, ackTimeout, Optional.of(stream));
    }

    public NatsSinkOptions withAckTimeout(Duration timeout) {
        return new NatsSinkOptions(subject, mode, timeout, createStream);
    }

    /** JetStream drops a replay by its {@code Nats-Msg-Id} within the stream's duplicate window, seen here when the sink creates the stream. */
    @Override
    public SinkTraits sinkTraits() {
        return new SinkTraits(Optional.empty(), createStream.map(
                stream -> new SinkTraits.Window("create-stream.duplicate-window", stream.duplicateWindow())));
    }

    /** For logs and status, e.g. {@code nats-jetstream:mirror.{subject}}. */
    public String describe() {
        return "nats-" + mode.label() + ":" + subject;
    }
}

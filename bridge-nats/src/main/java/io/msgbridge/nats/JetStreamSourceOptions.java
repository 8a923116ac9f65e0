package io.msgbridge.nats;

import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A JetStream source: a durable pull consumer on {@code stream}.
 *
 * @param stream         the stream to read
 * @param durable        the durable consumer's name; {@code bridge-<pipeline>} when empty
 * @param filterSubjects the subjects of the stream to read; all when empty (more than one needs
 *                       nats-server 2.10 or later)
 * @param batch          the pull batch size: the most messages the client buffers ahead
 * @param ackWait        how long the server waits for an ack before it redelivers
 * @param deliver        where a durable that does not exist yet starts
 */
public record JetStreamSourceOptions(
        String stream,
        Optional<String> durable,
        List<String> filterSubjects,
        int batch,
        Duration ackWait,
        DeliverFrom deliver) implements NatsSourceOptions {

    public static final int DEFAULT_BATCH = 256;
    public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(60);

    /** Where a new durable consumer starts. */
    public enum DeliverFrom {
        /** The first message in the stream. */
        ALL,
        /** Messages that arrive after the consumer was created. */
        NEW
    }

    public JetStreamSourceOptions {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(durable, "durable");
        filterSubjects = List.copyOf(filterSubjects);
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1: " + batch);
        }
        Objects.requireNonNull(ackWait, "ackWait");
        Objects.requireNonNull(deliver, "deliver");
    }

    /** A source on {@code stream} with every other option at its default. */
    public static JetStreamSourceOptions of(String stream) {
        return new JetStreamSourceOptions(stream, Optional.empty(), List.of(), DEFAULT_BATCH, DEFAULT_ACK_WAIT, DeliverFrom.ALL);
    }

    public JetStreamSourceOptions withDurable(String name) {
        return new JetStreamSourceOptions(stream, Optional.of(name), filterSubjects, batch, ackWait, deliver);
    }

    public JetStreamSourceOptions withBatch(int newBatch) {
        return new JetStreamSourceOptions(stream, durable, filterSubjects, newBatch, ackWait, deliver);
    }

    public JetStreamSourceOptions withDeliver(DeliverFrom newDeliver) {
        return new JetStreamSourceOptions(stream, durable, filterSubjects, batch, ackWait, newDeliver);
    }

    public JetStreamSourceOptions withAckWait(Duration newAckWait) {
        return new JetStreamSourceOptions(stream, durable, filterSubjects, batch, newAckWait, deliver);
    }

    /**
     * The durable consumer's name: the configured one, or {@code bridge-<pipeline>} with characters a
     * consumer name may not hold ({@code . * > / \} and white space) replaced by {@code _}.
     */
    public String durableName(String pipeline) {
        return durable.orElseGet(() -> "bridge-" + pipeline.replaceAll("[.*>/\\\\\\s]", "_"));
    }

    @Override
    public String describe() {
        return "nats:stream " + stream;
    }

    /** One filter subject without wildcards gives every record the same subject. */
    @Override
    public SourceTraits sourceTraits() {
        boolean oneSubject = filterSubjects.size() == 1 && !NatsSubjects.hasWildcard(filterSubjects.get(0));
        return new SourceTraits(true, !oneSubject, true, false, Optional.empty());
    }

    /** A JetStream position is the stream sequence the source resumes after. */
    @Override
    public Position position(String partition, String offset) {
        return Connector.sequencePosition(partition, offset, "a JetStream stream sequence");
    }
}

package io.msgbridge.kafka;

import io.msgbridge.backend.SectionOptions;
import io.msgbridge.spi.Connector;
import io.msgbridge.spi.Position;
import io.msgbridge.spi.SourceTraits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A checked {@code from:} section of a Kafka connection.
 *
 * @param topics           the topics to read; empty when {@link #topicsPattern} is given
 * @param topicsPattern    a regex over topic names; topics created later that match are read too
 * @param mode             {@code assign}: this daemon reads every partition; {@code group}: the partitions
 *                         are shared with the other members of the consumer group
 * @param group            the consumer group; empty means {@code bridge-<pipeline>}
 * @param initialPosition  where a partition starts that has neither a stored position nor a group offset
 * @param patternDiscovery how often the topics (and their partitions) are looked up again
 * @param drainTimeout     {@code mode: group}: how long a partition being given up waits for its records in
 *                         flight to be done before its position is committed and it is let go
 */
public record KafkaSourceOptions(List<String> topics, Optional<Pattern> topicsPattern, Mode mode, Optional<String> group,
                                 StartPosition initialPosition, Duration patternDiscovery, Duration drainTimeout)
        implements SectionOptions {
    public static final Duration DEFAULT_PATTERN_DISCOVERY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** How the partitions are shared. */
    public enum Mode {
        /** Every partition of the topics, assigned by the bridge itself: one daemon reads them all. */
        ASSIGN,
        /** The consumer group's protocol (cooperative-sticky) shares the partitions among the daemons. */
        GROUP
    }

    /** Where a partition without a stored position or group offset starts. */
    public enum StartPosition { EARLIEST, LATEST }

    public KafkaSourceOptions {
        topics = List.copyOf(topics);
        Objects.requireNonNull(topicsPattern, "topicsPattern");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(initialPosition, "initialPosition");
        Objects.requireNonNull(patternDiscovery, "patternDiscovery");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Every partition of the given topics from the earliest record; for tests and tools. */
    public static KafkaSourceOptions of(String... topics) {
        return new KafkaSourceOptions(List.of(topics), Optional.empty(), Mode.ASSIGN, Optional.empty(), StartPosition.EARLIEST,
                DEFAULT_PATTERN_DISCOVERY, DEFAULT_DRAIN_TIMEOUT);
    }

    public KafkaSourceOptions withMode(Mode newMode) {
        return new KafkaSourceOptions(topics, topicsPattern, newMode, group, initialPosition, patternDiscovery, drainTimeout);
    }

    public KafkaSourceOptions withPattern(Pattern pattern, Duration discovery) {
        return new KafkaSourceOptions(List.of(), Optional.of(pattern), mode, group, initialPosition, discovery, drainTimeout);
    }

    /** The consumer group of {@code pipeline}. */
    public String groupName(String pipeline) {
        return group.orElse("bridge-" + pipeline);
    }

    /** For logs and dead-letter headers, e.g. {@code kafka:orders} or {@code kafka:orders\..*}. */
    @Override
    public String describe() {
        return "kafka:" + topicsPattern.map(Pattern::pattern).orElse(String.join(",", topics));
    }

    /** A Kafka position is the partition's offset. */
    @Override
    public Position position(String partition, String offset) {
        return Connector.sequencePosition(partition, offset, "a Kafka offset");
    }

    /**
     * One topic without a pattern gives every record the same topic. {@code mode: group} shares nothing a
     * lint warns of: each partition has one reader at a time, drained before it moves.
     */
    @Override
    public SourceTraits sourceTraits() {
        boolean oneTopic = topics.size() == 1 && topicsPattern.isEmpty();
        return new SourceTraits(true, !oneTopic, true, false, Optional.empty());
    }

    /** {@code mode: group}: the consumer group spreads the partitions over the daemons that run the pipeline. */
    @Override
    public boolean sharesPartitions() {
        return mode == Mode.GROUP;
    }
}

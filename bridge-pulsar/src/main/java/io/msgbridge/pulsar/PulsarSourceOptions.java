package io.msgbridge.pulsar;

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
 * A checked {@code from:} section of a Pulsar connection.
 *
 * @param topics            the topics to read (full names or short names in {@code public/default}); empty
 *                          when {@link #topicsPattern} is given
 * @param topicsPattern     a regex over full topic names of one namespace; topics created later that match
 *                          are picked up
 * @param subscription      the subscription name; empty means {@code bridge-<pipeline>}
 * @param kind              the subscription type
 * @param initialPosition   where a new subscription starts
 * @param receiverQueue     the client's receiver queue per partition (the read-ahead bound)
 * @param patternDiscovery  how often the client re-checks the namespace for topics matching the pattern
 */
public record PulsarSourceOptions(List<String> topics, Optional<Pattern> topicsPattern, Optional<String> subscription,
                                  SubscriptionKind kind, StartPosition initialPosition, int receiverQueue,
                                  Duration patternDiscovery) implements SectionOptions {
    public static final int DEFAULT_RECEIVER_QUEUE = 1000;
    public static final Duration DEFAULT_PATTERN_DISCOVERY = Duration.ofSeconds(30);

    public PulsarSourceOptions {
        topics = List.copyOf(topics);
        Objects.requireNonNull(topicsPattern, "topicsPattern");
        Objects.requireNonNull(subscription, "subscription");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(initialPosition, "initialPosition");
        Objects.requireNonNull(patternDiscovery, "patternDiscovery");
    }

    /** An exclusive subscription from the earliest message on the given topics; for tests and tools. */
    public static PulsarSourceOptions of(String... topics) {
        return new PulsarSourceOptions(List.of(topics), Optional.empty(), Optional.empty(), SubscriptionKind.EXCLUSIVE,
                StartPosition.EARLIEST, DEFAULT_RECEIVER_QUEUE, DEFAULT_PATTERN_DISCOVERY);
    }

    public PulsarSourceOptions withKind(SubscriptionKind newKind) {
        return new PulsarSourceOptions(topics, topicsPattern, subscription, newKind, initialPosition, receiverQueue, patternDiscovery);
    }

    public PulsarSourceOptions withReceiverQueue(int size) {
        return new PulsarSourceOptions(topics, topicsPattern, subscription, kind, initialPosition, size, patternDiscovery);
    }

    /** The subscription name for {@code pipeline}. */
    public String subscriptionName(String pipeline) {
        return subscription.orElse("bridge-" + pipeline);
    }

    /** For logs and dead-letter headers, e.g. {@code pulsar:persistent://public/default/orders}. */
    public String describe() {
        return "pulsar:" + topicsPattern.map(Pattern::pattern).orElse(String.join(",", topics));
    }

    /**
     * One topic without a pattern gives each partition's records the same topic; a shared subscription
     * spreads them over its consumers (key_shared by the Pulsar key).
     */
    @Override
    public SourceTraits sourceTraits() {
        boolean oneTopic = topics.size() == 1 && topicsPattern.isEmpty();
        Optional<SourceTraits.Sharing> sharing = switch (kind) {
            case SHARED -> Optional.of(new SourceTraits.Sharing("subscription-type", false));
            case KEY_SHARED -> Optional.of(new SourceTraits.Sharing("subscription-type", true));
            default -> Optional.empty();
        };
        return new SourceTraits(true, !oneTopic, true, false, sharing);
    }

    /** A Pulsar position is a message id token, as {@code offsets show} prints it, or LEDGER:ENTRY. */
    @Override
    public Position position(String partition, String offset) {
        MessageIds.parse(offset, partition);
        return Connector.anyPosition(partition, offset);
    }
}

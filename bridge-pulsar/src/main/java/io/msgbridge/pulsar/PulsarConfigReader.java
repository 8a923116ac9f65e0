package io.msgbridge.pulsar;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.TopicConfig;
import io.msgbridge.spi.ConfigNode;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where Pulsar config sections become typed options. Every problem is reported through
 * the {@link ConfigNode}, never thrown; when there are problems the returned options hold neutral
 * placeholders and are not used.
 */
final class PulsarConfigReader {
    private static final String PLACEHOLDER = "invalid";
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    private PulsarConfigReader() {
    }

    /** Reads a {@code connections.NAME} section. */
    static PulsarConnectionOptions connection(String name, ConfigNode node) {
        String url = node.requiredString("service-url");
        if (!url.isEmpty() && !url.matches("pulsar(\\+ssl)?://[^\\s/]+(,[^\\s/]+)*/?")) {
            node.problem("service-url", "invalid value \"" + url
                    + "\": must be pulsar://HOST:PORT or pulsar+ssl://HOST:PORT, several hosts separated by commas");
        }
        PulsarAuth auth = node.child("auth").map(PulsarConfigReader::auth).orElse(new PulsarAuth.None());
        Optional<Path> ca = node.child("tls").flatMap(tls -> tls.file("ca"));
        Duration connectTimeout = node.duration("connect-timeout", Duration.ofSeconds(5), MIN_TIMEOUT);
        Duration operationTimeout = node.duration("operation-timeout", Duration.ofSeconds(10), MIN_TIMEOUT);
        Optional<URI> admin = node.string("admin-url").flatMap(a -> adminUrl(node, a));
        return new PulsarConnectionOptions(name, url.isEmpty() ? "pulsar://" + PLACEHOLDER : url, auth, ca,
                connectTimeout, operationTimeout, admin);
    }

    private static Optional<URI> adminUrl(ConfigNode node, String value) {
        if (value.matches("https?://[^\\s/?#,]+/?")) {
            return Optional.of(URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value));
        }
        node.problem("admin-url", "invalid value \"" + value + "\": must be http://HOST:PORT or https://HOST:PORT "
                + "(the broker's web service, webServicePort; one host)");
        return Optional.empty();
    }

    private static PulsarAuth auth(ConfigNode auth) {
        List<PulsarAuth> found = new ArrayList<>(1);
        auth.secret("token").ifPresent(token -> found.add(new PulsarAuth.Token(token)));
        if (auth.has("token-file")) {
            auth.file("token-file").ifPresent(file -> found.add(new PulsarAuth.TokenFile(file)));
            if (auth.has("token")) {
                auth.problem("give token or token-file, not both");
            }
        } else if (!auth.has("token")) {
            auth.problem("one of token, token-file is required");
        }
        return found.isEmpty() ? new PulsarAuth.None() : found.get(0);
    }

    /** Reads a pipeline's {@code from:} section. */
    static PulsarSourceOptions source(ConfigNode from) {
        TopicConfig.Topics topics = TopicConfig.topicsOrPattern(from, TopicConfig::noWhiteSpace);
        Optional<String> subscription = from.string("subscription");
        subscription.ifPresent(s -> {
            if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                from.problem("subscription", "must not be empty or contain white space");
            }
        });
        SubscriptionKind kind = from.choice("subscription-type", SubscriptionKind.class, SubscriptionKind.EXCLUSIVE);
        StartPosition start = from.choice("initial-position", StartPosition.class, StartPosition.EARLIEST);
        int queue = from.integer("receiver-queue", PulsarSourceOptions.DEFAULT_RECEIVER_QUEUE, 1, 100_000);
        Duration discovery = from.duration("pattern-discovery", PulsarSourceOptions.DEFAULT_PATTERN_DISCOVERY, Duration.ofSeconds(1));
        if (from.has("pattern-discovery") && !from.has("topics-pattern")) {
            from.problem("pattern-discovery", "applies only with topics-pattern");
        }
        return new PulsarSourceOptions(topics.topics(), topics.pattern(), subscription, kind, start, queue, discovery);
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section. */
    static PulsarSinkOptions sink(ConfigNode to) {
        DestinationTemplate template = TopicConfig.topicWithRewrite(to, PulsarTopics.NAMES);
        Batching batching = to.child("batching").map(PulsarConfigReader::batching).orElse(Batching.DEFAULT);
        Compression compression = to.choice("compression", Compression.class, Compression.NONE);
        Duration sendTimeout = to.duration("send-timeout", PulsarSinkOptions.DEFAULT_SEND_TIMEOUT, Duration.ofSeconds(1));
        boolean block = to.bool("block-if-queue-full", true);
        int maxPending = to.integer("max-pending-messages", PulsarSinkOptions.DEFAULT_MAX_PENDING, 1, 1_000_000);
        Duration idle = to.duration("producer-idle-timeout", PulsarSinkOptions.DEFAULT_IDLE_TIMEOUT, Duration.ofSeconds(1));
        boolean dedup = to.bool("dedup", false);
        return new PulsarSinkOptions(template, batching, compression, sendTimeout, block, maxPending, idle, dedup);
    }

    private static Batching batching(ConfigNode node) {
        boolean enabled = node.bool("enabled", Batching.DEFAULT.enabled());
        Duration delay = node.duration("max-delay", Batching.DEFAULT.maxDelay(), Duration.ofMillis(1));
        int max = node.integer("max-messages", Batching.DEFAULT.maxMessages(), 1, 100_000);
        boolean keyBased = node.bool("key-based", Batching.DEFAULT.keyBased());
        return new Batching(enabled, delay, max, keyBased);
    }
}

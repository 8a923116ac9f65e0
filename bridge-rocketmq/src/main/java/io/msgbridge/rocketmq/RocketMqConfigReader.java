package io.msgbridge.rocketmq;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.TopicConfig;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where RocketMQ config sections become typed options. Every problem is reported through
 * the {@link ConfigNode}, never thrown; when there are problems the returned options hold neutral
 * placeholders and are not used.
 */
final class RocketMqConfigReader {
    private static final String PLACEHOLDER = "invalid";
    private static final Pattern HOST_PORT = Pattern.compile("[^\\s:;,/]+:\\d{1,5}");
    /** RocketMQ's rule for group names, the same characters as topics. */
    private static final Pattern GROUP = Pattern.compile("[%|a-zA-Z0-9_-]{1,255}");
    /** A namespace: RocketMQ's topic characters without its separators {@code %} and {@code |}. */
    private static final Pattern NAMESPACE = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private RocketMqConfigReader() {
    }

    /** Reads a {@code connections.NAME} section. */
    static RocketMqConnectionOptions connection(String name, ConfigNode node) {
        List<String> servers = node.strings("name-server");
        if (servers.isEmpty()) {
            node.problem("name-server", "required: one or more NameServer addresses HOST:PORT (RocketMQ's default port is 9876)");
        }
        for (String server : servers) {
            if (!HOST_PORT.matcher(server).matches()) {
                node.problem("name-server", "invalid value \"" + server + "\": must be HOST:PORT, e.g. 127.0.0.1:9876");
            }
        }
        Optional<String> accessKey = node.string("access-key");
        Optional<Secret> secretKey = node.secret("secret-key");
        Optional<RocketMqConnectionOptions.Credentials> credentials = Optional.empty();
        if (accessKey.isPresent() != secretKey.isPresent()) {
            node.problem(accessKey.isPresent() ? "secret-key" : "access-key", "access-key and secret-key go together: give both or neither");
        } else if (accessKey.isPresent()) {
            if (accessKey.get().isBlank()) {
                node.problem("access-key", "must not be empty");
            }
            credentials = Optional.of(new RocketMqConnectionOptions.Credentials(accessKey.get(), secretKey.get()));
        }
        Optional<String> namespace = node.string("namespace");
        namespace.ifPresent(ns -> {
            if (!NAMESPACE.matcher(ns).matches()) {
                node.problem("namespace", "invalid value \"" + ns + "\": must be 1 to 64 of the characters a-z A-Z 0-9 _ -");
            }
        });
        Optional<RocketMqConnectionOptions.Tls> tls = node.child("tls").map(t -> {
            Optional<Path> ca = t.has("ca") ? t.file("ca") : Optional.empty();
            return new RocketMqConnectionOptions.Tls(ca);
        });
        String clientId = node.string("client-id", RocketMqConnectionOptions.DEFAULT_CLIENT_ID);
        if (!clientId.matches("[a-zA-Z0-9_.-]{1,64}")) {
            node.problem("client-id", "invalid value \"" + clientId + "\": must be 1 to 64 of the characters a-z A-Z 0-9 _ . -");
        }
        Duration timeout = node.duration("operation-timeout", RocketMqConnectionOptions.DEFAULT_OPERATION_TIMEOUT, Duration.ofMillis(100));
        return new RocketMqConnectionOptions(name, servers.isEmpty() ? List.of(PLACEHOLDER + ":9876") : servers, credentials,
                namespace, tls, clientId, timeout);
    }

    /** Reads a pipeline's {@code from:} section. */
    static RocketMqSourceOptions source(ConfigNode from) {
        String topic = from.requiredString("topic");
        if (!topic.isEmpty() && !RocketMqTopics.VALID.matcher(topic).matches()) {
            from.problem("topic", "invalid topic \"" + topic + "\": must be 1 to 127 of the characters a-z A-Z 0-9 _ - % |");
        }
        String tag = from.string("tag", RocketMqSourceOptions.ALL_TAGS);
        if (tag.isBlank()) {
            from.problem("tag", "must not be empty: * for every tag, or a tag expression such as \"a || b\"");
        }
        Optional<String> group = from.string("consumer-group");
        group.ifPresent(g -> {
            if (!GROUP.matcher(g).matches()) {
                from.problem("consumer-group", "invalid value \"" + g + "\": must be 1 to 255 of the characters a-z A-Z 0-9 _ - % |");
            }
        });
        RocketMqSourceOptions.InitialPosition start = from.choice("initial-position", RocketMqSourceOptions.InitialPosition.class,
                RocketMqSourceOptions.InitialPosition.EARLIEST);
        int batch = from.integer("pull-batch", RocketMqSourceOptions.DEFAULT_PULL_BATCH, 1, 1024);
        RocketMqSourceOptions.Mode mode = from.choice("mode", RocketMqSourceOptions.Mode.class, RocketMqSourceOptions.Mode.ASSIGN);
        Duration drain = from.duration("drain-timeout", RocketMqSourceOptions.DEFAULT_DRAIN_TIMEOUT, Duration.ZERO);
        if (drain.compareTo(RocketMqSourceOptions.MAX_DRAIN_TIMEOUT) > 0) {
            from.problem("drain-timeout", "invalid value \"" + from.string("drain-timeout", "") + "\": must be at most 40s (a queue's"
                    + " broker lock lapses after 60 s without renewal, and locks are renewed between drains)");
        }
        return new RocketMqSourceOptions(topic.isEmpty() ? PLACEHOLDER : topic, tag, group, start, batch, mode, drain);
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section. */
    static RocketMqSinkOptions sink(ConfigNode to) {
        DestinationTemplate template = TopicConfig.destination(to, "topic", topic -> DestinationTemplate.of(topic, RocketMqTopics.NAMES));
        Optional<String> tag = to.string("tag");
        tag.ifPresent(t -> {
            if (t.isBlank() || t.contains("|") || t.chars().anyMatch(Character::isWhitespace)) {
                to.problem("tag", "invalid value \"" + t + "\": a tag, or {tag} for the source record's tag; no white space or |");
            }
        });
        Duration sendTimeout = to.duration("send-timeout", RocketMqSinkOptions.DEFAULT_SEND_TIMEOUT, Duration.ofMillis(100));
        long maxSize = to.size("max-message-size", RocketMqSinkOptions.DEFAULT_MAX_MESSAGE_SIZE, 1);
        if (maxSize > Integer.MAX_VALUE / 2) {
            to.problem("max-message-size", "must be at most 1GiB");
        }
        return new RocketMqSinkOptions(template, tag, sendTimeout, (int) Math.min(maxSize, Integer.MAX_VALUE / 2));
    }
}

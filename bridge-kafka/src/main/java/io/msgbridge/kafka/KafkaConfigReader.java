package io.msgbridge.kafka;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.TopicConfig;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one place where Kafka config sections become typed options. Every problem is reported through the
 * {@link ConfigNode}, never thrown; when there are problems the returned options hold neutral placeholders
 * and are not used.
 */
final class KafkaConfigReader {
    private static final String PLACEHOLDER = "invalid";
    private static final Pattern SERVER = Pattern.compile("[^\\s,:/]+:\\d{1,5}|\\[[0-9a-fA-F:]+]:\\d{1,5}");
    private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    /**
     * Client properties the bridge sets itself, refused in {@code properties:}, with what to write instead
     * (or why they are not open). Every {@code ssl.*} and {@code sasl.*} key is refused as well.
     */
    private static final Map<String, String> OWN = ownProperties();

    private KafkaConfigReader() {
    }

    private static Map<String, String> ownProperties() {
        Map<String, String> own = new LinkedHashMap<>();
        own.put("bootstrap.servers", "use bootstrap-servers");
        own.put("security.protocol", "use security");
        own.put("client.id", "use client-id");
        own.put("request.timeout.ms", "use request-timeout");
        own.put("group.id", "use group in the pipeline's from: section");
        own.put("group.protocol", "use mode in the pipeline's from: section");
        own.put("partition.assignment.strategy", "mode: group uses cooperative-sticky");
        own.put("enable.auto.commit", "the bridge commits what is done");
        own.put("auto.offset.reset", "use initial-position in the pipeline's from: section");
        own.put("max.poll.records", "it follows the pipeline's max-in-flight");
        own.put("metadata.max.age.ms", "use pattern-discovery in the pipeline's from: section");
        own.put("key.serializer", "keys and values are bytes");
        own.put("value.serializer", "keys and values are bytes");
        own.put("key.deserializer", "keys and values are bytes");
        own.put("value.deserializer", "keys and values are bytes");
        own.put("enable.idempotence", "the sink is idempotent, which keeps a key's order across retries");
        own.put("acks", "the sink uses acks=all");
        own.put("max.in.flight.requests.per.connection", "the idempotent producer keeps order with at most 5");
        own.put("transactional.id", "the sink is not transactional");
        own.put("compression.type", "use compression in the pipeline's to: section");
        own.put("linger.ms", "use linger in the pipeline's to: section");
        own.put("batch.size", "use batch-size in the pipeline's to: section");
        own.put("max.request.size", "use max-request-size in the pipeline's to: section");
        own.put("delivery.timeout.ms", "use delivery-timeout in the pipeline's to: section");
        own.put("max.block.ms", "use max-block in the pipeline's to: section");
        return Map.copyOf(own);
    }

    /** Reads a {@code connections.NAME} section. */
    static KafkaConnectionOptions connection(String name, ConfigNode node) {
        List<String> servers = new ArrayList<>();
        for (String value : node.strings("bootstrap-servers")) {
            for (String server : value.split(",")) {
                String s = server.trim();
                if (SERVER.matcher(s).matches()) {
                    servers.add(s);
                } else {
                    node.problem("bootstrap-servers", "invalid value \"" + s + "\": must be HOST:PORT (several as a list or separated by commas)");
                }
            }
        }
        if (!node.has("bootstrap-servers")) {
            node.problem("bootstrap-servers", "is required: HOST:PORT of one or more brokers");
        }
        KafkaConnectionOptions.Security security = node.choice("security", KafkaConnectionOptions.Security.class,
                KafkaConnectionOptions.Security.PLAINTEXT);
        Optional<KafkaConnectionOptions.Sasl> sasl = node.child("sasl").flatMap(KafkaConfigReader::sasl);
        if (security.sasl() && !node.has("sasl")) {
            node.problem("sasl", "is required with security: " + security.name().toLowerCase(java.util.Locale.ROOT)
                    + " (mechanism, username, password)");
        } else if (!security.sasl() && node.has("sasl")) {
            node.problem("sasl", "applies only with security: sasl_plaintext or sasl_ssl");
        }
        Optional<KafkaConnectionOptions.Tls> tls = node.child("tls").map(KafkaConfigReader::tls);
        if (!security.tls() && node.has("tls")) {
            node.problem("tls", "applies only with security: ssl or sasl_ssl");
        }
        Optional<String> clientId = node.string("client-id");
        Duration requestTimeout = node.duration("request-timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
        Map<String, String> properties = node.child("properties").map(KafkaConfigReader::properties).orElse(Map.of());
        return new KafkaConnectionOptions(name, servers.isEmpty() ? List.of(PLACEHOLDER + ":1") : servers, security, sasl,
                tls, clientId, requestTimeout, properties);
    }

    private static Optional<KafkaConnectionOptions.Sasl> sasl(ConfigNode node) {
        KafkaConnectionOptions.Mechanism mechanism = node.choice("mechanism", KafkaConnectionOptions.Mechanism.class,
                KafkaConnectionOptions.Mechanism.PLAIN);
        String username = node.requiredString("username");
        Optional<Secret> password = node.secret("password");
        if (!node.has("password")) {
            node.problem("password", "is required");
        }
        return password.map(p -> new KafkaConnectionOptions.Sasl(mechanism, username, p));
    }

    private static KafkaConnectionOptions.Tls tls(ConfigNode node) {
        Optional<Path> ca = node.file("ca");
        Optional<Path> cert = node.file("cert");
        Optional<Path> key = node.file("key");
        if (node.has("cert") != node.has("key")) {
            node.problem(node.has("cert") ? "key" : "cert", "cert and key go together (a client certificate and its PKCS#8 key)");
        }
        return new KafkaConnectionOptions.Tls(ca, cert, key);
    }

    private static Map<String, String> properties(ConfigNode node) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String key : node.keys()) {
            String value = node.string(key, "");
            String own = OWN.get(key);
            if (own != null) {
                node.problem(key, "is set by the bridge: " + own);
            } else if (key.startsWith("ssl.") || key.startsWith("sasl.")) {
                node.problem(key, "is set by the bridge: use security, sasl and tls");
            } else {
                properties.put(key, value);
            }
        }
        return properties;
    }

    /** Reads a pipeline's {@code from:} section. */
    static KafkaSourceOptions source(ConfigNode from) {
        TopicConfig.Topics topics = TopicConfig.topicsOrPattern(from,
                topic -> KafkaTopics.legal(topic) ? null : "a Kafka topic has 1 to 249 of the characters a-z A-Z 0-9 . _ -");
        KafkaSourceOptions.Mode mode = from.choice("mode", KafkaSourceOptions.Mode.class, KafkaSourceOptions.Mode.ASSIGN);
        Optional<String> group = from.string("group");
        group.ifPresent(g -> {
            if (!GROUP.matcher(g).matches()) {
                from.problem("group", "invalid value \"" + g + "\": use 1 to 249 of the characters a-z A-Z 0-9 . _ -");
            }
        });
        KafkaSourceOptions.StartPosition start = from.choice("initial-position", KafkaSourceOptions.StartPosition.class,
                KafkaSourceOptions.StartPosition.EARLIEST);
        Duration discovery = from.duration("pattern-discovery", KafkaSourceOptions.DEFAULT_PATTERN_DISCOVERY, Duration.ofMillis(500));
        Duration drain = from.duration("drain-timeout", KafkaSourceOptions.DEFAULT_DRAIN_TIMEOUT, Duration.ofSeconds(1));
        if (from.has("drain-timeout") && mode != KafkaSourceOptions.Mode.GROUP) {
            from.problem("drain-timeout", "applies only with mode: group");
        }
        return new KafkaSourceOptions(topics.topics(), topics.pattern(), mode, group, start, discovery, drain);
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section. */
    static KafkaSinkOptions sink(ConfigNode to) {
        DestinationTemplate template = TopicConfig.topicWithRewrite(to, KafkaTopics.NAMES);
        KafkaSinkOptions.Partitioning partitioning = to.choice("partition", KafkaSinkOptions.Partitioning.class,
                KafkaSinkOptions.Partitioning.DEFAULT);
        KafkaSinkOptions.Compression compression = to.choice("compression", KafkaSinkOptions.Compression.class,
                KafkaSinkOptions.Compression.NONE);
        Duration linger = to.duration("linger", KafkaSinkOptions.DEFAULT_LINGER, Duration.ZERO);
        int batchSize = (int) Math.min(Integer.MAX_VALUE, to.size("batch-size", KafkaSinkOptions.DEFAULT_BATCH_SIZE, 1));
        int maxRequest = (int) Math.min(Integer.MAX_VALUE, to.size("max-request-size", KafkaSinkOptions.DEFAULT_MAX_REQUEST_SIZE, 1024));
        Duration delivery = to.duration("delivery-timeout", KafkaSinkOptions.DEFAULT_DELIVERY_TIMEOUT, Duration.ofSeconds(1));
        Duration maxBlock = to.duration("max-block", KafkaSinkOptions.DEFAULT_MAX_BLOCK, Duration.ofMillis(100));
        return new KafkaSinkOptions(template, partitioning, compression, linger, batchSize, maxRequest, delivery, maxBlock);
    }
}

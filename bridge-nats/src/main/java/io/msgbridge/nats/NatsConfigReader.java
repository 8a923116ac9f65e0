package io.msgbridge.nats;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.backend.TopicConfig;
import io.msgbridge.spi.ConfigNode;
import io.msgbridge.spi.Secret;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where NATS config sections become typed options. Every problem is reported through
 * the {@link ConfigNode}, never thrown; when there are problems the returned options hold neutral
 * placeholders and are not used.
 */
final class NatsConfigReader {
    private static final String PLACEHOLDER = "invalid";
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    private NatsConfigReader() {
    }

    /** Reads a {@code connections.NAME} section. */
    static NatsConnectionOptions connection(String name, ConfigNode node) {
        List<String> servers = node.strings("servers");
        if (servers.isEmpty()) {
            node.problem("servers", "is required: one or more server URLs such as nats://127.0.0.1:4222");
            servers = List.of(PLACEHOLDER);
        }
        for (String server : servers) {
            if (server.isBlank()) {
                node.problem("servers", "must not contain an empty server URL");
            }
        }
        NatsAuth auth = auth(node);
        Optional<TlsFiles> tls = node.child("tls").map(t -> new TlsFiles(t.file("ca"), t.file("cert"), t.file("key")));
        tls.ifPresent(t -> {
            if (t.cert().isPresent() != t.key().isPresent()) {
                node.problem("tls", "cert and key go together: give both or neither");
            }
        });
        Duration connectTimeout = node.duration("connect-timeout", Duration.ofSeconds(5), MIN_TIMEOUT);
        Duration reconnectWait = node.duration("reconnect-wait", Duration.ofSeconds(2), MIN_TIMEOUT);
        String keyHeader = node.string("key-header", NatsConnectionOptions.DEFAULT_KEY_HEADER);
        if (keyHeader.isBlank() || keyHeader.contains(":") || keyHeader.chars().anyMatch(Character::isWhitespace)) {
            node.problem("key-header", "must be a header name without white space or ':'");
        }
        Optional<String> clientName = node.string("name");
        return new NatsConnectionOptions(name, servers, auth, tls, connectTimeout, reconnectWait, keyHeader, clientName);
    }

    private static NatsAuth auth(ConfigNode node) {
        List<NatsAuth> found = new ArrayList<>(1);
        List<String> keys = new ArrayList<>(1);
        node.secret("token").ifPresent(token -> {
            found.add(new NatsAuth.Token(token));
            keys.add("token");
        });
        Optional<String> user = node.string("user");
        Optional<Secret> password = node.secret("password");
        if (user.isPresent() && password.isPresent()) {
            found.add(new NatsAuth.UserPassword(user.get(), password.get()));
            keys.add("user+password");
        } else if (user.isPresent()) {
            node.problem("password", "is required with user");
        } else if (password.isPresent()) {
            node.problem("user", "is required with password");
        }
        if (node.has("nkey-seed-file")) {
            Optional<Path> seed = node.file("nkey-seed-file");
            seed.ifPresent(file -> found.add(new NatsAuth.NKeySeedFile(file)));
            keys.add("nkey-seed-file");
        }
        if (node.has("creds-file")) {
            Optional<Path> creds = node.file("creds-file");
            creds.ifPresent(file -> found.add(new NatsAuth.CredsFile(file)));
            keys.add("creds-file");
        }
        if (keys.size() > 1) {
            node.problem("only one of token, user+password, nkey-seed-file, creds-file may be given; found "
                    + String.join(", ", keys));
        }
        return found.isEmpty() ? new NatsAuth.None() : found.get(0);
    }

    /** Reads a pipeline's {@code from:} section: JetStream when {@code stream} is present, else core. */
    static NatsSourceOptions source(ConfigNode from) {
        return from.has("stream") ? jetStreamSource(from) : coreSource(from);
    }

    private static CoreSourceOptions coreSource(ConfigNode from) {
        for (String jetStreamOnly : List.of("durable", "filter-subject", "filter-subjects", "batch", "ack-wait", "deliver")) {
            if (from.has(jetStreamOnly)) {
                from.problem(jetStreamOnly, "applies only to a JetStream source: add stream, or remove " + jetStreamOnly);
            }
        }
        List<String> subjects = subjects(from, "subject", "subjects");
        if (subjects.isEmpty()) {
            from.problem("one of subject, subjects (core NATS) or stream (JetStream) is required");
            subjects = List.of(PLACEHOLDER);
        }
        Optional<String> queueGroup = from.string("queue-group");
        queueGroup.ifPresent(group -> {
            if (group.isBlank() || group.chars().anyMatch(Character::isWhitespace)) {
                from.problem("queue-group", "must not be empty or contain white space");
            }
        });
        int buffer = from.integer("buffer", CoreSourceOptions.DEFAULT_BUFFER, 1, 10_000_000);
        return new CoreSourceOptions(subjects, queueGroup, buffer);
    }

    private static JetStreamSourceOptions jetStreamSource(ConfigNode from) {
        String stream = from.requiredString("stream");
        for (String coreOnly : List.of("subject", "subjects", "queue-group", "buffer")) {
            if (from.has(coreOnly)) {
                from.problem(coreOnly, "applies only to a core NATS source; with stream use filter-subject(s)");
            }
        }
        if (!stream.isEmpty() && !validName(stream)) {
            from.problem("stream", "must not contain '.', '*', '>', '/', '\\' or white space");
        }
        Optional<String> durable = from.string("durable");
        durable.ifPresent(d -> {
            if (!validName(d)) {
                from.problem("durable", "must not be empty or contain '.', '*', '>', '/', '\\' or white space");
            }
        });
        List<String> filters = subjects(from, "filter-subject", "filter-subjects");
        int batch = from.integer("batch", JetStreamSourceOptions.DEFAULT_BATCH, 1, 100_000);
        Duration ackWait = from.duration("ack-wait", JetStreamSourceOptions.DEFAULT_ACK_WAIT, Duration.ofSeconds(1));
        JetStreamSourceOptions.DeliverFrom deliver = from.choice("deliver", JetStreamSourceOptions.DeliverFrom.class,
                JetStreamSourceOptions.DeliverFrom.ALL);
        return new JetStreamSourceOptions(stream.isEmpty() ? PLACEHOLDER : stream, durable, filters, batch, ackWait, deliver);
    }

    private static List<String> subjects(ConfigNode node, String singular, String plural) {
        return TopicConfig.names(node, singular, plural, "subject", TopicConfig::noWhiteSpace);
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section. */
    static NatsSinkOptions sink(ConfigNode to) {
        DestinationTemplate template = TopicConfig.destination(to, "subject", NatsSubjects::template);
        SinkMode mode = to.choice("mode", SinkMode.class, SinkMode.JETSTREAM);
        Duration ackTimeout = to.duration("ack-timeout", NatsSinkOptions.DEFAULT_ACK_TIMEOUT, Duration.ofMillis(10));
        Optional<CreateStreamOptions> createStream = to.child("create-stream").map(NatsConfigReader::createStream);
        if (createStream.isPresent() && mode == SinkMode.CORE) {
            to.problem("create-stream", "applies only to mode: jetstream");
        }
        return new NatsSinkOptions(template, mode, ackTimeout, createStream);
    }

    private static CreateStreamOptions createStream(ConfigNode node) {
        String name = node.requiredString("name");
        if (!name.isEmpty() && !validName(name)) {
            node.problem("name", "must not contain '.', '*', '>', '/', '\\' or white space");
        }
        List<String> subjects = node.strings("subjects");
        if (subjects.isEmpty()) {
            node.problem("subjects", "is required: the subjects the stream captures");
        }
        CreateStreamOptions.Storage storage = node.choice("storage", CreateStreamOptions.Storage.class, CreateStreamOptions.Storage.FILE);
        Duration window = node.duration("duplicate-window", CreateStreamOptions.DEFAULT_DUPLICATE_WINDOW, Duration.ofMillis(1));
        Duration maxAge = node.duration("max-age", Duration.ZERO, Duration.ZERO);
        return new CreateStreamOptions(name, subjects, storage, window, maxAge);
    }

    private static boolean validName(String name) {
        return !name.isEmpty() && !name.matches(".*[.*>/\\\\\\s].*");
    }
}

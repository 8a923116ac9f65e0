package io.msgbridge.nsq;

import io.msgbridge.backend.DestinationTemplate;
import io.msgbridge.spi.ConfigNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where NSQ config sections become typed options. Every problem is reported through the
 * {@link ConfigNode}, never thrown; when there are problems the returned options hold neutral
 * placeholders and are not used.
 */
final class NsqConfigReader {
    private static final String PLACEHOLDER = "invalid";

    private NsqConfigReader() {
    }

    /** Reads a {@code connections.NAME} section. */
    static NsqConnectionOptions connection(String name, ConfigNode node) {
        List<NsqAddress> nsqd = new ArrayList<>();
        for (String text : node.strings("nsqd")) {
            try {
                nsqd.add(NsqAddress.parse(text.trim()));
            } catch (IllegalArgumentException e) {
                node.problem("nsqd", "invalid address \"" + text + "\": " + e.getMessage());
            }
        }
        List<URI> lookupd = new ArrayList<>();
        for (String text : node.strings("lookupd")) {
            lookupd(text).ifPresentOrElse(lookupd::add,
                    () -> node.problem("lookupd", "invalid address \"" + text + "\": expected http://host:port, e.g. http://127.0.0.1:4161"));
        }
        boolean hasNsqd = node.has("nsqd");
        boolean hasLookupd = node.has("lookupd");
        if (hasNsqd && hasLookupd) {
            node.problem("give nsqd (TCP addresses) or lookupd (HTTP addresses), not both");
        } else if (!hasNsqd && !hasLookupd) {
            node.problem("one of nsqd (TCP addresses such as 127.0.0.1:4150) or lookupd (such as http://127.0.0.1:4161) is required");
        } else if (hasNsqd && node.strings("nsqd").isEmpty() || hasLookupd && node.strings("lookupd").isEmpty()) {
            node.problem(hasNsqd ? "nsqd" : "lookupd", "must list at least one address");
        }
        Optional<NsqTls> tls = tls(node);
        Duration msgTimeout = node.duration("msg-timeout", NsqConnectionOptions.DEFAULT_MSG_TIMEOUT, Duration.ofSeconds(1));
        Duration heartbeat = node.duration("heartbeat-interval", NsqConnectionOptions.DEFAULT_HEARTBEAT, Duration.ofSeconds(1));
        if (heartbeat.compareTo(Duration.ofMinutes(1)) > 0) {
            node.problem("heartbeat-interval", "invalid value " + heartbeat.toSeconds() + "s: must be at most 60s (nsqd's limit)");
        }
        String clientId = node.string("client-id", "msgbridge");
        String hostname = node.string("hostname", NsqConnectionOptions.localHostname());
        Duration connectTimeout = node.duration("connect-timeout", Duration.ofSeconds(5), Duration.ofMillis(1));
        Duration lookupdPoll = node.duration("lookupd-poll-interval", Duration.ofSeconds(60), Duration.ofSeconds(1));
        if (node.has("lookupd-poll-interval") && !hasLookupd) {
            node.problem("lookupd-poll-interval", "applies only with lookupd");
        }
        Duration reconnectWait = node.duration("reconnect-wait", Duration.ofMillis(500), Duration.ofMillis(1));
        return new NsqConnectionOptions(name, nsqd, lookupd, node.secret("auth-secret"), tls, msgTimeout, heartbeat,
                clientId, hostname, connectTimeout, lookupdPoll, reconnectWait);
    }

    private static Optional<URI> lookupd(String text) {
        try {
            URI uri = URI.create(text.trim());
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<NsqTls> tls(ConfigNode node) {
        if (!node.has("tls")) {
            return Optional.empty();
        }
        return node.child("tls").map(t -> new NsqTls(t.file("ca")));
    }

    /** Reads a pipeline's {@code from:} section. */
    static NsqSourceOptions source(ConfigNode from) {
        String topic = name(from, "topic");
        String channel = name(from, "channel");
        return new NsqSourceOptions(topic, channel);
    }

    private static String name(ConfigNode node, String key) {
        String value = node.requiredString(key);
        if (value.isEmpty()) {
            if (node.has(key)) {
                node.problem(key, "must not be empty: " + NsqNames.RULE);
            }
            return PLACEHOLDER;
        }
        if (!NsqNames.valid(value)) {
            node.problem(key, "invalid value \"" + value + "\": " + NsqNames.RULE);
        }
        return value;
    }

    /** Reads a pipeline's {@code to:} or {@code dead-letter:} section. */
    static NsqSinkOptions sink(ConfigNode to) {
        String topic = to.requiredString("topic");
        DestinationTemplate template = NsqNames.template(topic.isEmpty() ? PLACEHOLDER : topic);
        if (!topic.isEmpty() && template.problem() != null) {
            to.problem("topic", "invalid value \"" + topic + "\": " + template.problem());
        }
        Duration defer = to.duration("defer", Duration.ZERO, Duration.ZERO);
        if (defer.compareTo(Duration.ofHours(1)) > 0) {
            to.problem("defer", "invalid value: must be at most 1h (nsqd's max-req-timeout)");
        }
        int batch = to.integer("batch", NsqSinkOptions.DEFAULT_BATCH, 1, 10_000);
        long maxMessageSize = to.size("max-message-size", NsqSinkOptions.DEFAULT_MAX_MESSAGE_SIZE, 1);
        return new NsqSinkOptions(template, defer, batch, maxMessageSize);
    }
}

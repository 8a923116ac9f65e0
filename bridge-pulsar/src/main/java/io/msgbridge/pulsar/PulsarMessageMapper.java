package io.msgbridge.pulsar;

import io.msgbridge.backend.InstantText;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import org.apache.pulsar.client.api.TypedMessageBuilder;
import org.apache.pulsar.common.naming.TopicName;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translates between Pulsar messages and the bridge's {@link Message}. Stateless and thread-safe.
 *
 * <p>From Pulsar: topic = the topic without its {@code -partition-N} suffix, key = the message key,
 * headers = the properties, then {@value #PUBLISH_TIME} (ISO-8601) and, when the message has one,
 * {@value #ORDERING_KEY} (base64); event time = the producer's event time, else the publish time.
 *
 * <p>To Pulsar: the key the pipeline computed as the message key, properties (a header repeated keeps
 * its last value) and event time. The ordering key, which {@code key_shared} consumers and key-based
 * batching prefer to the key: when the pipeline keeps the message's own key (a mirror), the original's
 * from {@value #ORDERING_KEY} if it had one; when the pipeline computed another key, that key, so that
 * consumers group by it rather than by a stale ordering key. {@code Bridge-Pulsar-*} headers are not
 * copied into properties, so a mirror carries the same properties as the original.
 */
final class PulsarMessageMapper {
    static final String PUBLISH_TIME = "Bridge-Pulsar-Publish-Time";
    static final String ORDERING_KEY = "Bridge-Pulsar-Ordering-Key";
    private static final String OWN_PREFIX = "Bridge-Pulsar-";
    private static final byte[] EMPTY = new byte[0];
    private static final InstantText PUBLISH_TIMES = new InstantText();

    private PulsarMessageMapper() {
    }

    static Message toBridge(org.apache.pulsar.client.api.Message<byte[]> in) {
        Map<String, String> properties = in.getProperties();
        List<Headers.Header> headers = new ArrayList<>(properties.size() + 2);
        properties.forEach((name, value) -> headers.add(new Headers.Header(name, value)));
        headers.add(new Headers.Header(PUBLISH_TIME, PUBLISH_TIMES.of(Instant.ofEpochMilli(in.getPublishTime()))));
        if (in.hasOrderingKey()) {
            headers.add(new Headers.Header(ORDERING_KEY, Base64.getEncoder().encodeToString(in.getOrderingKey())));
        }
        long eventMillis = in.getEventTime() > 0 ? in.getEventTime() : in.getPublishTime();
        byte[] data = in.getData();
        return new Message(baseTopic(in.getTopicName()), in.hasKey() ? in.getKey() : null,
                data == null ? EMPTY : data, Headers.of(headers), Instant.ofEpochMilli(eventMillis));
    }

    static String baseTopic(String topic) {
        return TopicName.get(topic).getPartitionedTopicName();
    }

    /** Whether a header is one of this backend's own ({@value #OWN_PREFIX}*); the first letter rules out most at once. */
    private static boolean isOwn(String name) {
        return !name.isEmpty() && name.charAt(0) == 'B' && name.startsWith(OWN_PREFIX);
    }

    /**
     * Fills {@code out} from {@code message}, with {@code key} (null for none) as its key. Headers go
     * straight into properties, in one pass that also finds the ordering key; only a message that
     * repeats a header name goes through a map first, for the last value to win (a map for every message
     * was a measurable part of this mapping's cost).
     */
    static void toPulsar(Message message, String key, TypedMessageBuilder<byte[]> out) {
        out.value(message.payload());
        boolean ownKey = Objects.equals(key, message.key());
        if (key != null) {
            out.key(key);
            if (!ownKey) {
                out.orderingKey(key.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Headers.Header> headers = message.headers().entries();
        Map<String, String> lastValues = repeatsAName(headers) ? new LinkedHashMap<>() : null;
        String orderingKey = null;
        for (Headers.Header h : headers) {
            if (isOwn(h.name())) {
                if (orderingKey == null && h.name().equals(ORDERING_KEY)) {
                    orderingKey = h.value();
                }
            } else if (lastValues != null) {
                lastValues.put(h.name(), h.value());
            } else {
                out.property(h.name(), h.value());
            }
        }
        if (lastValues != null && !lastValues.isEmpty()) {
            out.properties(lastValues);
        }
        if (orderingKey != null && ownKey) {
            try {
                out.orderingKey(Base64.getDecoder().decode(orderingKey));
            } catch (IllegalArgumentException ignored) {
                // not ours: a foreign header of that name is dropped rather than failing the record
            }
        }
        if (message.eventTime() != null && message.eventTime().toEpochMilli() > 0) {
            out.eventTime(message.eventTime().toEpochMilli());
        }
    }

    /** Whether two headers share a name; a message has a few headers, so pairwise is cheapest. */
    private static boolean repeatsAName(List<Headers.Header> headers) {
        for (int i = 1; i < headers.size(); i++) {
            String name = headers.get(i).name();
            for (int j = 0; j < i; j++) {
                if (headers.get(j).name().equals(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}

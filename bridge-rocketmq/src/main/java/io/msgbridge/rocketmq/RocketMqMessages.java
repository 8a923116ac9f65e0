package io.msgbridge.rocketmq;

import io.msgbridge.backend.InstantText;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.OutboundRecord;
import io.msgbridge.spi.PermanentException;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageExt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates between RocketMQ messages and the bridge's {@link Message}. Stateless and thread-safe.
 *
 * <p>From RocketMQ: key = the {@value #SHARDING_KEY} property where set (the sharding key Coze Studio's
 * Go producers write with {@code WithShardingKey}), else the message keys ({@code KEYS}, as written);
 * headers = the user properties, then the backend's own {@code Bridge-RocketMQ-*} headers (tags, message
 * id, born and store times, queue, queue offset, reconsume times); event time = the born timestamp.
 * RocketMQ's system properties are not headers.
 *
 * <p>To RocketMQ: headers as user properties (a header repeated keeps its last value) except the
 * {@code Bridge-RocketMQ-*} ones, then keys and {@value #SHARDING_KEY} = the record's key (over a header of
 * that name), the tag as the sink says,
 * so a mirror carries the same properties as the original. A header whose name RocketMQ reserves, or that
 * RocketMQ cannot carry (empty, or holding its property separators), is refused as permanent.
 */
final class RocketMqMessages {
    /** The sharding key property of the Go client ({@code primitive.PropertyShardingKey}). */
    static final String SHARDING_KEY = "SHARDING_KEY";
    static final String TAGS = "Bridge-RocketMQ-Tags";
    static final String MESSAGE_ID = "Bridge-RocketMQ-Msg-Id";
    static final String BORN_TIME = "Bridge-RocketMQ-Born-Time";
    static final String STORE_TIME = "Bridge-RocketMQ-Store-Time";
    static final String QUEUE = "Bridge-RocketMQ-Queue";
    static final String QUEUE_OFFSET = "Bridge-RocketMQ-Queue-Offset";
    static final String RECONSUME_TIMES = "Bridge-RocketMQ-Reconsume-Times";
    private static final String OWN_PREFIX = "Bridge-RocketMQ-";
    /** Property names RocketMQ uses for itself beyond those the client refuses ({@link MessageConst#STRING_HASH_SET}). */
    private static final Set<String> MORE_SYSTEM = Set.of(MessageConst.PROPERTY_INNER_NUM, MessageConst.PROPERTY_INNER_BASE,
            MessageConst.PROPERTY_TRACE_CONTEXT, MessageConst.PROPERTY_TRANSACTION_CHECK_TIMES,
            MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS, MessageConst.PROPERTY_FORWARD_QUEUE_ID,
            MessageConst.PROPERTY_REDIRECT, MessageConst.PROPERTY_INNER_MULTI_DISPATCH,
            MessageConst.PROPERTY_TRANSACTION_PREPARED_QUEUE_OFFSET);
    private static final byte[] EMPTY = new byte[0];
    private static final InstantText TIMES = new InstantText();

    private RocketMqMessages() {
    }

    /** Whether RocketMQ keeps the property name for itself: such a name is never a header, nor written from one. */
    static boolean reserved(String name) {
        return MessageConst.STRING_HASH_SET.contains(name) || MORE_SYSTEM.contains(name) || name.startsWith("__");
    }

    static Message toBridge(MessageExt in) {
        Map<String, String> properties = in.getProperties();
        List<Headers.Header> headers = new ArrayList<>(properties.size() + 7);
        properties.forEach((name, value) -> {
            if (!reserved(name) && value != null) {
                headers.add(new Headers.Header(name, value));
            }
        });
        String tags = in.getTags();
        if (tags != null && !tags.isEmpty()) {
            headers.add(new Headers.Header(TAGS, tags));
        }
        String id = in.getMsgId();
        if (id != null) {
            headers.add(new Headers.Header(MESSAGE_ID, id));
        }
        headers.add(new Headers.Header(BORN_TIME, TIMES.of(Instant.ofEpochMilli(in.getBornTimestamp()))));
        headers.add(new Headers.Header(STORE_TIME, TIMES.of(Instant.ofEpochMilli(in.getStoreTimestamp()))));
        headers.add(new Headers.Header(QUEUE, in.getBrokerName() + "/" + in.getQueueId()));
        headers.add(new Headers.Header(QUEUE_OFFSET, Long.toString(in.getQueueOffset())));
        headers.add(new Headers.Header(RECONSUME_TIMES, Integer.toString(in.getReconsumeTimes())));
        byte[] body = in.getBody();
        return new Message(in.getTopic(), key(properties), body == null ? EMPTY : body, Headers.of(headers),
                in.getBornTimestamp() > 0 ? Instant.ofEpochMilli(in.getBornTimestamp()) : null);
    }

    /** Coze Studio's sharding key where set, else the message keys; null when neither is. */
    static String key(Map<String, String> properties) {
        String sharding = properties.get(SHARDING_KEY);
        if (sharding != null && !sharding.isEmpty()) {
            return sharding;
        }
        String keys = properties.get(MessageConst.PROPERTY_KEYS);
        return keys == null || keys.isBlank() ? null : keys.strip();
    }

    /**
     * A RocketMQ message of {@code record} for {@code topic}, tagged {@code tag} (null for none).
     *
     * @throws PermanentException when a header cannot be a property (a reserved name, empty, a separator in it)
     */
    static org.apache.rocketmq.common.message.Message toRocketMq(OutboundRecord record, String topic, String tag) {
        org.apache.rocketmq.common.message.Message out = new org.apache.rocketmq.common.message.Message();
        out.setTopic(topic);
        out.setBody(record.message().payload());
        if (tag != null) {
            out.setTags(tag);
        }
        for (Headers.Header h : record.message().headers().entries()) {
            if (!isOwn(h.name())) {
                out.putUserProperty(checkedName(h.name()), checkedValue(h));
            }
        }
        String key = record.key();
        if (key != null && !key.isBlank()) {
            out.setKeys(key);
            out.putUserProperty(SHARDING_KEY, key);
        }
        return out;
    }

    /** The source record's RocketMQ tag, or null when it has none. */
    static String sourceTag(Message message) {
        return message.headers().first(TAGS).orElse(null);
    }

    private static boolean isOwn(String name) {
        return !name.isEmpty() && name.charAt(0) == 'B' && name.startsWith(OWN_PREFIX);
    }

    private static String checkedName(String name) {
        if (reserved(name)) {
            throw new PermanentException("header '" + name + "' cannot be written: RocketMQ reserves the property name"
                    + " (its system properties, and names beginning with __); rename or drop the header before this sink");
        }
        if (name.isBlank() || hasSeparator(name)) {
            throw new PermanentException("header '" + printable(name) + "' cannot be written: RocketMQ property names"
                    + " must not be blank or hold the characters \\u0001 and \\u0002");
        }
        return name;
    }

    private static String checkedValue(Headers.Header h) {
        if (h.value().isBlank() || hasSeparator(h.value())) {
            throw new PermanentException("header '" + printable(h.name()) + "' cannot be written: RocketMQ property values"
                    + " must not be blank or hold the characters \\u0001 and \\u0002");
        }
        return h.value();
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf('\u0001') >= 0 || s.indexOf('\u0002') >= 0;
    }

    private static String printable(String s) {
        return s.replace("\u0001", "\\u0001").replace("\u0002", "\\u0002");
    }
}

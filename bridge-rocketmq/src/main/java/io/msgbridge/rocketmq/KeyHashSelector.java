package io.msgbridge.rocketmq;

import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Picks a message queue by the hash of the ordering key passed as the selector's argument, so that every
 * message of one key goes to one queue, as RocketMQ's ordered messages need (a consumer that consumes
 * orderly then sees them in order). The hash is FNV-1a (32 bits) of the key's UTF-8 bytes modulo the
 * number of queues, the same as the Go client's {@code NewHashQueueSelector} does with a message's
 * sharding key, so the bridge and Coze Studio's Go producers put a key in the same queue of a topic.
 * Thread-safe.
 */
final class KeyHashSelector implements MessageQueueSelector {
    static final KeyHashSelector INSTANCE = new KeyHashSelector();

    private KeyHashSelector() {
    }

    @Override
    public MessageQueue select(List<MessageQueue> queues, Message message, Object key) {
        return queues.get(index((String) key, queues.size()));
    }

    static int index(String key, int queues) {
        return (int) (Integer.toUnsignedLong(fnv1a(key)) % queues);
    }

    static int fnv1a(String key) {
        int hash = 0x811c9dc5;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }
}

package io.msgbridge.rocketmq;

import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain rocketmq-client producers and readers on a test broker, for producing what a source reads and
 * reading back what a sink wrote. Each record of {@link #publishKeyed} has the payload
 * {@code {"k":"key-N","n":SEQ_WITHIN_KEY}} and the key {@code key-N}, so per-key order can be checked.
 */
public final class RocketMqTestClient implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private final RocketMqTestBroker broker;
    private final DefaultMQProducer producer;

    public RocketMqTestClient(RocketMqTestBroker broker) throws Exception {
        this.broker = broker;
        this.producer = new DefaultMQProducer("test-producer", RocketMqTestBroker.rpcHook());
        producer.setNamesrvAddr(broker.nameServer());
        producer.setInstanceName("test-producer-" + INSTANCES.incrementAndGet());
        producer.setDefaultTopicQueueNums(8);
        producer.setVipChannelEnabled(false);
        producer.start();
    }

    /** A topic name nobody used before. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * Sends one message (waiting for the broker) to the queue its keys hash to, or for messages without keys
     * to the topic's hash, so that messages sent one after another keep their order; {@code shardingKey} goes
     * into Coze's SHARDING_KEY property when not null.
     */
    public SendResult send(String topic, String tag, String keys, String shardingKey, Map<String, String> properties, byte[] body)
            throws Exception {
        Message m = new Message(topic, tag, keys, body);
        properties.forEach(m::putUserProperty);
        if (shardingKey != null) {
            m.putUserProperty(RocketMqMessages.SHARDING_KEY, shardingKey);
        }
        SendResult result = producer.send(m, KeyHashSelector.INSTANCE, keys != null ? keys : topic);
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("send to " + topic + ": " + result.getSendStatus());
        }
        return result;
    }

    /**
     * Publishes {@code count} records over {@code keys} keys to {@code topic}, each key to one queue (by the
     * key's hash, as the bridge's sink does), with the key in KEYS and SHARDING_KEY; synchronous sends.
     */
    public void publishKeyed(String topic, int count, int keys, int firstN) throws Exception {
        int[] perKey = new int[keys];
        java.util.Arrays.fill(perKey, firstN);
        for (int i = 0; i < count; i++) {
            int key = (int) ((i * 7919L) % keys);
            String k = "key-" + key;
            Message m = new Message(topic, null, k, ("{\"k\":\"" + k + "\",\"n\":" + perKey[key]++ + "}").getBytes(StandardCharsets.UTF_8));
            m.putUserProperty(RocketMqMessages.SHARDING_KEY, k);
            SendResult result = producer.send(m, KeyHashSelector.INSTANCE, k);
            if (result.getSendStatus() != SendStatus.SEND_OK) {
                throw new IllegalStateException("send to " + topic + ": " + result.getSendStatus());
            }
        }
    }

    /**
     * Reads {@code topic} from the start of every queue until {@code expected} messages arrived or
     * {@code timeout} passed, without a consumer group's offsets; per queue in queue order.
     */
    public List<MessageExt> readAll(String topic, int expected, Duration timeout) throws Exception {
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("test-reader-" + UUID.randomUUID().toString().substring(0, 8),
                RocketMqTestBroker.rpcHook());
        consumer.setNamesrvAddr(broker.nameServer());
        consumer.setInstanceName("test-reader-" + INSTANCES.incrementAndGet());
        consumer.setAutoCommit(false);
        consumer.setVipChannelEnabled(false);
        consumer.start();
        try {
            List<MessageExt> out = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            Collection<MessageQueue> queues = List.of();
            while (queues.isEmpty() && System.nanoTime() < deadline) {
                try {
                    queues = consumer.fetchMessageQueues(topic);
                } catch (Exception e) {
                    Thread.sleep(200);
                }
            }
            consumer.assign(queues);
            for (MessageQueue q : queues) {
                consumer.seekToBegin(q);
            }
            while (out.size() < expected && System.nanoTime() < deadline) {
                out.addAll(consumer.poll(200));
            }
            return out;
        } finally {
            consumer.shutdown();
        }
    }

    /** {@link #readAll}, grouped by queue: what a consumer that consumes each queue in order sees. */
    public static Map<Integer, List<MessageExt>> byQueue(List<MessageExt> messages) {
        Map<Integer, List<MessageExt>> queues = new HashMap<>();
        for (MessageExt m : messages) {
            queues.computeIfAbsent(m.getQueueId(), q -> new ArrayList<>()).add(m);
        }
        queues.values().forEach(list -> list.sort(java.util.Comparator.comparingLong(MessageExt::getQueueOffset)));
        return queues;
    }

    public static String body(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.shutdown();
    }
}

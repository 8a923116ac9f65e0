package io.msgbridge.rocketmq;

import io.msgbridge.testing.KeyedRecords;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.topic.TopicValidator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
     * key's hash, as the bridge's sink does), with the key in KEYS and SHARDING_KEY, each key's counter
     * starting at {@code firstN}. Sends go in batches per queue, each batch waited for, so each queue holds
     * its keys' records in order.
     */
    public void publishKeyed(String topic, int count, int keys, int firstN) throws Exception {
        KeyedRecords numbering = new KeyedRecords(firstN);
        List<MessageQueue> queues = createTopic(topic);
        Map<MessageQueue, List<Message>> batches = new HashMap<>();
        for (int i = 0; i < count; i++) {
            KeyedRecords.Record record = numbering.next(i, keys);
            Message m = new Message(topic, null, record.key(), record.bytes());
            m.putUserProperty(RocketMqMessages.SHARDING_KEY, record.key());
            MessageQueue queue = queues.get(KeyHashSelector.index(record.key(), queues.size()));
            List<Message> batch = batches.computeIfAbsent(queue, q -> new ArrayList<>());
            batch.add(m);
            if (batch.size() == 256) {
                checked(topic, producer.send(batch, queue));
                batch.clear();
            }
        }
        for (Map.Entry<MessageQueue, List<Message>> e : batches.entrySet()) {
            if (!e.getValue().isEmpty()) {
                checked(topic, producer.send(e.getValue(), e.getKey()));
            }
        }
    }

    /**
     * Creates {@code topic} with 8 queues on the broker if the NameServer has no route to it yet, and waits
     * until it has; returns its queues in the order a queue selector gets them. Tries again for 30 s, as a
     * broker just started registers its topics with the NameServer a moment after it serves.
     */
    public List<MessageQueue> createTopic(String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean created = false;
        while (true) {
            try {
                List<MessageQueue> queues = producer.fetchPublishMessageQueues(topic);
                if (queues.size() == 8) {
                    return queues;
                }
            } catch (MQClientException noRouteYet) {
                if (System.nanoTime() > deadline) {
                    throw noRouteYet;
                }
            }
            if (!created) {
                try {
                    producer.createTopic(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, topic, 8, Map.of());
                    created = true;
                } catch (MQClientException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw notYet;
                    }
                }
            }
            Thread.sleep(200);
        }
    }

    /**
     * Creates {@code topic} with 8 queues by asking the broker itself, as {@code mqadmin updateTopic -b} does:
     * for a broker that creates no topics, whose default topic the client cannot find brokers by.
     */
    public void createTopicOnBroker(String topic) throws Exception {
        producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl().createTopic(broker.brokerAddress(),
                TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, new TopicConfig(topic, 8, 8), 5000);
    }

    /**
     * The consumer groups the broker names for {@code topic}: those with an offset of it, and those with a
     * member reading it now.
     */
    public Set<String> groupsOf(String topic) throws Exception {
        return producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl()
                .queryTopicConsumeByWho(broker.brokerAddress(), topic, 5000).getGroupList();
    }

    private static void checked(String topic, SendResult result) {
        if (result.getSendStatus() != SendStatus.SEND_OK) {
            throw new IllegalStateException("send to " + topic + ": " + result.getSendStatus());
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

    /** Starts reading every queue of {@code topic} (which must exist) from its start, in the background. */
    public Collector collect(String topic) throws Exception {
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("test-collector-" + UUID.randomUUID().toString().substring(0, 8),
                RocketMqTestBroker.rpcHook());
        consumer.setNamesrvAddr(broker.nameServer());
        consumer.setInstanceName("test-collector-" + INSTANCES.incrementAndGet());
        consumer.setAutoCommit(false);
        consumer.setVipChannelEnabled(false);
        consumer.start();
        Collection<MessageQueue> queues = consumer.fetchMessageQueues(topic);
        consumer.assign(queues);
        for (MessageQueue q : queues) {
            consumer.seekToBegin(q);
        }
        return new Collector(consumer);
    }

    /** Everything a background reader got from one topic. */
    public static final class Collector implements AutoCloseable {
        private final DefaultLitePullConsumer consumer;
        private final List<MessageExt> messages = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;
        private volatile boolean stop;

        Collector(DefaultLitePullConsumer consumer) {
            this.consumer = consumer;
            this.thread = Thread.ofPlatform().daemon().name("rocketmq-collector").start(this::run);
        }

        private void run() {
            while (!stop) {
                try {
                    messages.addAll(consumer.poll(200));
                } catch (RuntimeException e) {
                    if (stop) {
                        return;
                    }
                }
            }
        }

        public int count() {
            return messages.size();
        }

        public long distinctBodies() {
            synchronized (messages) {
                return messages.stream().map(RocketMqTestClient::body).distinct().count();
            }
        }

        public List<MessageExt> messages() {
            synchronized (messages) {
                return List.copyOf(messages);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5000);
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

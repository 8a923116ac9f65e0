package io.msgbridge.bench;

import io.msgbridge.rocketmq.RocketMqTestBroker;
import io.msgbridge.rocketmq.RocketMqTestClient;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The RocketMQ side of the benchmark: a real RocketMQ NameServer and broker
 * ({@link RocketMqTestBroker#shared()}, started on first use on free ports and killed when the bench
 * exits), the orchestrator's clients and the topic endpoints. The broker has ACL on: the orchestrator
 * and both variants sign their requests as its super user; the variant processes get the credentials in
 * their environment ({@link #ACCESS_KEY_VARIABLE}, {@link #SECRET_KEY_VARIABLE}), so the secret key is in no
 * file and no command line. Topics are {@code bench-<run>-src|snk} with {@value #QUEUES} queues each (what
 * the broker gives a topic created on first use), created before a run and deleted after it; the
 * baseline finds the NameServer in its source or sink spec ({@code rocketmq:HOST:PORT/TOPIC}).
 * A deleted topic's messages stay in the broker's commit log, in a temp dir removed when the bench exits.
 */
final class RocketMqEndpoints implements AutoCloseable {
    /** The environment variable with the broker's access key, for the baseline. */
    static final String ACCESS_KEY_VARIABLE = "BENCH_ROCKETMQ_ACCESS_KEY";
    /** The environment variable with the broker's secret key, for both variants. */
    static final String SECRET_KEY_VARIABLE = "BENCH_ROCKETMQ_SECRET_KEY";
    static final int QUEUES = 8;
    private static final int PRELOAD_BATCHES = 16;
    private static final int PRELOAD_BATCH_MESSAGES = 64;
    private static final long PRELOAD_BATCH_BYTES = 256 << 10;
    /** The most messages one pull returns (the broker's own limit for messages in memory, and the bridge's default pull-batch). */
    private static final int PULL_BATCH = 32;
    private static final long ADMIN_TIMEOUT_MS = 30_000;

    private final RocketMqTestBroker broker;
    private final RocketMqTestClient topics;
    /** For the sink's stored count and topic deletion; it sends nothing, so it keeps no deleted topic's route. */
    private final DefaultMQProducer admin;

    RocketMqEndpoints() throws Exception {
        this.broker = RocketMqTestBroker.shared();
        this.topics = new RocketMqTestClient(broker);
        this.admin = producer("bench-admin");
    }

    private DefaultMQProducer producer(String name) throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(name, RocketMqTestBroker.rpcHook());
        producer.setNamesrvAddr(broker.nameServer());
        producer.setInstanceName(name);
        producer.setVipChannelEnabled(false);
        producer.start();
        return producer;
    }

    /** The YAML {@code connections:} entry the bridge variant uses. */
    String yamlConnection() {
        return "  rocketmq: { type: rocketmq, name-server: [ \"" + broker.nameServer() + "\" ], access-key: \""
                + RocketMqTestBroker.ACCESS_KEY + "\", secret-key: \"${" + SECRET_KEY_VARIABLE + "}\" }\n";
    }

    /** What the variant processes need in their environment. */
    Map<String, String> environment() {
        return Map.of(ACCESS_KEY_VARIABLE, RocketMqTestBroker.ACCESS_KEY, SECRET_KEY_VARIABLE, RocketMqTestBroker.SECRET_KEY);
    }

    /**
     * A topic as the source, preloaded with {@code payloads}, each message with its key as the message keys
     * ({@code KEYS}, which the bridge reads as {@code key: native}) and in the queue of the key's hash, as a
     * producer of ordered messages sends them. Messages go in asynchronous batches per queue, at most
     * {@value #PRELOAD_BATCHES} batches unconfirmed: sent one by one, thousands in flight overflowed the
     * broker's send queue (it refused them as busy), and fewer in flight preloaded slowly. The producer is
     * the run's own: a client that sent to a topic asks the NameServer for its route every 30 s, and warns
     * about it once the topic is deleted.
     */
    SourceEndpoint source(String run, Keys keys, Payloads payloads) {
        String topic = topic(run, "src");
        PublishWindow window = new PublishWindow(PRELOAD_BATCHES);
        int batchMessages = (int) Math.max(1, Math.min(PRELOAD_BATCH_MESSAGES, PRELOAD_BATCH_BYTES / payloads.size()));
        return new SourceEndpoint() {
            private final Map<MessageQueue, List<Message>> unsent = new HashMap<>();
            private List<MessageQueue> queues;
            private DefaultMQProducer producer;

            @Override
            public void create() throws Exception {
                queues = topics.createTopic(topic);
                producer = producer("bench-preload-" + run);
            }

            @Override
            public boolean holdsRecords() {
                return true;
            }

            @Override
            public void publish(long sequence) throws InterruptedException {
                String key = keys.of(sequence);
                Message message = new Message(topic, payloads.stamped(sequence, keys));
                if (key != null) {
                    message.setKeys(key);
                }
                MessageQueue queue = queues.get(RocketMqBaseline.queueIndex(key == null ? topic : key, queues.size()));
                List<Message> batch = unsent.computeIfAbsent(queue, q -> new ArrayList<>(batchMessages));
                batch.add(message);
                if (batch.size() == batchMessages) {
                    send(queue, batch);
                }
            }

            private void send(MessageQueue queue, List<Message> batch) throws InterruptedException {
                List<Message> messages = List.copyOf(batch);
                batch.clear();
                window.publish(() -> {
                    CompletableFuture<Void> stored = new CompletableFuture<>();
                    try {
                        producer.send(messages, queue, new SendCallback() {
                            @Override
                            public void onSuccess(SendResult result) {
                                if (result.getSendStatus() == SendStatus.SEND_OK) {
                                    stored.complete(null);
                                } else {
                                    stored.completeExceptionally(new IllegalStateException("preload to " + queue + ": " + result.getSendStatus()));
                                }
                            }

                            @Override
                            public void onException(Throwable e) {
                                stored.completeExceptionally(e);
                            }
                        });
                    } catch (Exception e) {
                        stored.completeExceptionally(e);
                    }
                    return stored;
                });
            }

            @Override
            public void flush() throws InterruptedException {
                for (Map.Entry<MessageQueue, List<Message>> e : unsent.entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        send(e.getKey(), e.getValue());
                    }
                }
                window.flush();
            }

            @Override
            public String yamlFrom() {
                return "{ connection: rocketmq, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "rocketmq:" + broker.nameServer() + "/" + topic;
            }

            @Override
            public void close() {
                if (producer != null) {
                    producer.shutdown();
                }
                deleteTopic(topic);
            }
        };
    }

    /**
     * A topic as the sink; the end consumer is a lite pull consumer of every queue from its start, with a
     * group of its own that commits nothing, created before the variant starts.
     */
    SinkEndpoint sink(String run) {
        String topic = topic(run, "snk");
        return new SinkEndpoint() {
            private DefaultLitePullConsumer consumer;
            private Thread reader;
            private volatile boolean closing;

            @Override
            public void create(Receipts receipts) throws Exception {
                List<MessageQueue> queues = topics.createTopic(topic);
                consumer = new DefaultLitePullConsumer("bench-end-" + run, RocketMqTestBroker.rpcHook());
                consumer.setNamesrvAddr(broker.nameServer());
                consumer.setInstanceName("bench-end-" + run);
                consumer.setVipChannelEnabled(false);
                consumer.setAutoCommit(false);
                consumer.setPullBatchSize(PULL_BATCH);
                // the topic is new and empty: its first offset is where every record the variant writes starts
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
                consumer.start();
                consumer.assign(queues);
                reader = Thread.ofPlatform().name("bench-rocketmq-end-consumer").start(() -> read(receipts));
            }

            private void read(Receipts receipts) {
                try {
                    while (!closing) {
                        for (MessageExt m : consumer.poll(100)) {
                            receipts.received(m.getBody(), RocketMqBaseline.key(m));
                        }
                    }
                } catch (RuntimeException e) {
                    if (!closing) {
                        System.err.println("bench: the end consumer of " + topic + " failed: " + e);
                    }
                }
            }

            @Override
            public String yamlTo() {
                return "{ connection: rocketmq, topic: \"" + topic + "\" }";
            }

            @Override
            public String baselineSpec() {
                return "rocketmq:" + broker.nameServer() + "/" + topic;
            }

            @Override
            public long stored() throws Exception {
                long stored = 0;
                for (MessageQueue queue : admin.fetchPublishMessageQueues(topic)) {
                    stored += admin.maxOffset(queue);
                }
                return stored;
            }

            @Override
            public void close() {
                closing = true;
                if (reader != null) {
                    try {
                        reader.join(Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (consumer != null) {
                    consumer.shutdown();
                }
                deleteTopic(topic);
            }
        };
    }

    private static String topic(String run, String role) {
        return "bench-" + run + "-" + role;
    }

    /** Deletes a topic on the broker and its route on the NameServer. Never throws. */
    private void deleteTopic(String topic) {
        try {
            MQClientAPIImpl api = admin.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl();
            api.deleteTopicInBroker(broker.brokerAddress(), topic, ADMIN_TIMEOUT_MS);
            api.deleteTopicInNameServer(broker.nameServer(), topic, ADMIN_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("bench: could not delete topic " + topic + ": " + e);
        }
    }

    @Override
    public void close() {
        admin.shutdown();
        topics.close();
    }
}
